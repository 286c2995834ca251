// 5_metrics' report as the Overview's cards (pure): what each card says, and why it says it.
import { milliseconds, MISSING, num, percent, pValue } from "./format";
import type { MetricsReport } from "./types";

export type AccuracyKey = "mse" | "rmse" | "mae" | "mape";
export const ACCURACY_KEYS: AccuracyKey[] = ["mse", "rmse", "mae", "mape"];
const TITLES: Record<AccuracyKey, string> = { mse: "MSE", rmse: "RMSE", mae: "MAE", mape: "MAPE" };

export interface Line {
  label: string;
  value: string;
}

export interface AccuracyCard {
  id: AccuracyKey;
  title: string;
  value: string;
  /** live: forecasts scored after train_end; offline: the training's holdout; none: neither. */
  source: "live" | "offline" | "none";
  sourceLabel: string;
  baselines: Line[];
  relMae: string;
  note: string | null;
}

function show(key: AccuracyKey, value: number | null | undefined): string {
  return key === "mape" ? percent(value, 2, true) : num(value, key === "mse" ? 4 : 3);
}

function whyNoLive(report: MetricsReport): string {
  const reason = report.reason ?? "no matured forecasts made after the model's training window";
  const inSample =
    report.n_in_sample > 0
      ? ` ${report.n_in_sample} matured forecast${report.n_in_sample === 1 ? "" : "s"} fell inside the training window and ${report.n_in_sample === 1 ? "is" : "are"} not counted.`
      : "";
  return `No live figures yet (n = 0): ${reason}.${inSample}`;
}

export function accuracyCards(report: MetricsReport): AccuracyCard[] {
  const live = report.n > 0;
  const offline = report.offline;
  return ACCURACY_KEYS.map((id) => {
    const liveValue = report[id];
    if (live && liveValue !== null) {
      return {
        id,
        title: TITLES[id],
        value: show(id, liveValue),
        source: "live",
        sourceLabel: `live, ${report.n} ${report.n === 1 ? "forecast" : "forecasts"} ${report.start ?? ""}..${report.end ?? ""} (horizon ${report.horizon})`,
        baselines: [
          { label: "naive", value: show(id, report.naive[id]) },
          { label: "drift", value: show(id, report.drift[id]) },
        ],
        relMae: num(report.rel_mae, 3),
        note: null,
      };
    }
    const offlineValue = offline?.lstm?.[id];
    if (offline && offlineValue !== undefined && offlineValue !== null) {
      return {
        id,
        title: TITLES[id],
        value: show(id, offlineValue),
        source: "offline",
        sourceLabel: `offline evaluation (holdout) ${offline.eval_start ?? ""}..${offline.eval_end ?? ""}, ${offline.n_eval_days ?? "?"} days, model v${offline.model_version}, horizon ${offline.horizon}`,
        baselines: [
          { label: "naive", value: show(id, offline.naive?.[id]) },
          { label: "drift", value: show(id, offline.drift?.[id]) },
        ],
        relMae: num(offline.lstm?.rel_mae, 3),
        note: whyNoLive(report),
      };
    }
    return {
      id,
      title: TITLES[id],
      value: MISSING,
      source: "none",
      sourceLabel: "no data yet",
      baselines: [
        { label: "naive", value: MISSING },
        { label: "drift", value: MISSING },
      ],
      relMae: MISSING,
      note: `${whyNoLive(report)} No offline evaluation is recorded for model ${report.model_version ?? "(none)"} either.`,
    };
  });
}

export interface DriftCard {
  status: "drift" | "stable" | "unknown";
  verdict: string;
  lines: Line[];
  note: string | null;
}

export function driftCard(report: MetricsReport): DriftCard {
  const d = report.data_drift;
  const status = d.drift_detected === true ? "drift" : d.drift_detected === false ? "stable" : "unknown";
  const verdict =
    status === "drift"
      ? `Drift detected in ${d.signal}`
      : status === "stable"
        ? `No drift detected in ${d.signal}`
        : "No data yet: drift not computed";
  const volume = d.volume?.drift_detected;
  const lines: Line[] = [
    { label: "method", value: d.method ?? MISSING },
    { label: "statistic", value: num(d.statistic, 3) },
    { label: "p-value", value: pValue(d.p_value) },
    { label: "threshold", value: d.threshold === null ? MISSING : `p < ${d.threshold}` },
    { label: "rule", value: d.rule || MISSING },
    {
      label: "windows",
      value: `reference ${d.reference.start ?? "?"}..${d.reference.end ?? "?"} (${d.reference.n}), current ${d.current.start ?? "?"}..${d.current.end ?? "?"} (${d.current.n})`,
    },
  ];
  if (volume !== undefined && volume !== null) {
    lines.push({ label: "volume", value: volume ? "drift detected" : "no drift" });
  }
  return { status, verdict, lines, note: d.reason ?? null };
}

export interface LatencyCard {
  hasData: boolean;
  mean: string;
  p95: string;
  lines: Line[];
  note: string | null;
}

export function latencyCard(report: MetricsReport): LatencyCard {
  const i = report.inference;
  const hasData = i.avg_seconds !== null || i.p95_seconds !== null;
  const lines: Line[] = [
    { label: "source", value: i.source ?? MISSING },
    { label: "window", value: i.window ?? MISSING },
    { label: "requests", value: num(i.requests, 0) },
  ];
  const why = [i.reason, i.note].filter(Boolean).join("; ");
  return {
    hasData,
    mean: milliseconds(i.avg_seconds),
    p95: milliseconds(i.p95_seconds),
    lines,
    note: hasData
      ? why || null
      : `No data yet: no inference latency recorded${why ? ` (${why})` : " (no forecasts served)"}.`,
  };
}
