// 5_metrics' GET /metrics/history as the Overview's two monitoring charts (pure): compact
// arrays per line (days since 1970 and values, nulls skipped), and what each chart says in
// words: its latest values, or why there is nothing to draw.
import { count, num, pValue } from "./format";
import { dateToEpochDay } from "./series";
import type { DailyDrift, HistoryReport } from "./types";

export interface Line {
  days: number[];
  values: number[];
}

const finite = (value: number | null | undefined): value is number =>
  typeof value === "number" && Number.isFinite(value);

/** Oldest first, one row per date (the last one given wins). */
function byDate<T extends { date: string }>(rows: T[]): T[] {
  const sorted = [...rows].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const out: T[] = [];
  for (const row of sorted) {
    if (out.length && out[out.length - 1]!.date === row.date) out[out.length - 1] = row;
    else out.push(row);
  }
  return out;
}

/** A drawn value: 4 significant digits, more than a small chart can show (the axis prints 3
 * decimals), and a third of the bytes sent to the browser. The summaries use the exact values. */
const drawn = (value: number) => Number(value.toPrecision(4));

const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

// --- rolling accuracy ---

export interface QualityChart {
  /** The model's rolling MAE and the naive forecast's, on exactly the same days. */
  model: Line;
  naive: Line;
  /** The drift forecast's rolling MAE on those days where it has one; null when it has none. */
  driftForecast: Line | null;
  latest: {
    date: string;
    mae: number;
    naive: number;
    driftForecast: number | null;
    relMae: number | null;
    /** Matured days the latest rolling figures are over (fewer than the window at the start). */
    n: number;
  } | null;
}

/** A day is drawn only when both the model's and the naive's rolling MAE are known: the model
 * is never shown without its baseline, nor on days the baseline lacks. */
export function toQualityChart(history: HistoryReport): QualityChart {
  const model: Line = { days: [], values: [] };
  // The very same days (one array, sent once).
  const naive: Line = { days: model.days, values: [] };
  const drift: Line = { days: [], values: [] };
  let latest: QualityChart["latest"] = null;
  for (const row of byDate(history.quality)) {
    if (!finite(row.rolling_mae) || !finite(row.rolling_naive_mae)) continue;
    const day = dateToEpochDay(row.date);
    model.days.push(day);
    model.values.push(drawn(row.rolling_mae));
    naive.values.push(drawn(row.rolling_naive_mae));
    const driftMae = finite(row.rolling_drift_forecast_mae) ? row.rolling_drift_forecast_mae : null;
    if (driftMae !== null) {
      drift.days.push(day);
      drift.values.push(drawn(driftMae));
    }
    latest = {
      date: row.date,
      mae: row.rolling_mae,
      naive: row.rolling_naive_mae,
      driftForecast: driftMae,
      relMae: finite(row.rolling_rel_mae)
        ? row.rolling_rel_mae
        : row.rolling_naive_mae > 0
          ? row.rolling_mae / row.rolling_naive_mae
          : null,
      n: row.rolling_n,
    };
  }
  return { model, naive, driftForecast: drift.days.length ? drift : null, latest };
}

/** The latest rolling figures in one sentence (what a screen reader gets instead of the canvas). */
export function qualitySummary(history: HistoryReport, chart: QualityChart): string | null {
  const last = chart.latest;
  if (!last) return null;
  const rel = last.relMae;
  const verdict =
    rel === null
      ? ""
      : ` (${rel < 1 ? "smaller errors than the naive forecast" : rel > 1 ? "larger errors than the naive forecast" : "the same errors as the naive forecast"})`;
  const drift = last.driftForecast !== null ? `, drift forecast ${num(last.driftForecast, 3)}` : "";
  const over =
    last.n < history.rolling_window
      ? `the ${plural(last.n, "matured day", "matured days")} so far`
      : `the last ${plural(last.n, "matured day", "matured days")}`;
  return (
    `Latest, ${last.date}, over ${over}: model MAE ${num(last.mae, 3)}, naive MAE ` +
    `${num(last.naive, 3)}${drift}; rel_mae ${num(rel, 3)}${verdict}. ` +
    `${plural(chart.model.days.length, "day", "days")} drawn.`
  );
}

/** Why the accuracy chart has nothing to draw, in words (with the service's own reason). */
export function qualityEmptyText(history: HistoryReport, chart: QualityChart): string {
  const range = `${history.start_date}..${history.end_date}`;
  const reason = history.reason ? ` 5_metrics: ${history.reason}.` : "";
  if (history.model_version === null) {
    return `No model yet for ${history.ticker}: there are no forecasts to score.${reason}`;
  }
  if (history.quality.length > 0 && chart.model.days.length === 0) {
    return (
      `The ${plural(history.quality.length, "matured day", "matured days")} in ${range} have no rolling ` +
      `MAE beside the naive forecast's: nothing to draw.${reason}`
    );
  }
  const trainEnd = history.drift_reference?.end;
  const inSample =
    history.n_in_sample > 0
      ? ` ${plural(history.n_in_sample, "matured forecast", "matured forecasts")} in the range ` +
        `${history.n_in_sample === 1 ? "was" : "were"} made inside the training window and ` +
        `${history.n_in_sample === 1 ? "is" : "are"} not counted (n_in_sample = ${history.n_in_sample}).`
      : "";
  return (
    `No matured live forecasts yet: no forecast of model v${history.model_version} at horizon ` +
    `${history.horizon} made after the champion's training window${trainEnd ? ` (to ${trainEnd})` : ""} ` +
    `has its target day's close in ${range}.${inSample}${reason}`
  );
}

// --- data drift ---

/** p-values are drawn on a log scale: one that underflowed to 0 is drawn at this floor. */
export const P_FLOOR = 1e-10;

const MEASURES: Record<string, string> = {
  ks: "KS p-value",
  wasserstein: "normalised Wasserstein distance",
  psi: "PSI",
};

export interface DriftChart {
  method: string;
  /** What is drawn, in words: the value the method's threshold applies to. */
  measure: string;
  /** KS: drift when the p-value is below the threshold; the others: at or above it. */
  usesPValue: boolean;
  values: Line;
  /** The days flagged as drift (drift_detected), at their drawn values. */
  flagged: Line;
  threshold: number | null;
  /** p-values below P_FLOOR, drawn at P_FLOOR. */
  floored: number;
  /** Days with a value drawn (values.days.length) beside the days in the answer. */
  daysInRange: number;
  latest: {
    date: string;
    value: number;
    threshold: number | null;
    detected: boolean | null;
    currentN: number;
  } | null;
}

function testedValue(row: DailyDrift, usesPValue: boolean): number | null {
  const value = usesPValue ? row.p_value : row.statistic;
  return finite(value) ? value : null;
}

/** The value the method's threshold applies to, per day: the KS p-value for "ks", the
 * statistic otherwise. Days of another method than the latest one are left out (one scale). */
export function toDriftChart(history: HistoryReport): DriftChart | null {
  const rows = byDate(history.drift);
  const method = [...rows].reverse().find((row) => row.method)?.method;
  if (!method) return null;
  const usesPValue = method === "ks";
  const values: Line = { days: [], values: [] };
  const flagged: Line = { days: [], values: [] };
  let floored = 0;
  let latest: DriftChart["latest"] = null;
  for (const row of rows) {
    if (row.method !== method) continue;
    const value = testedValue(row, usesPValue);
    if (value === null) continue;
    if (usesPValue && value < P_FLOOR) floored++;
    const shown = drawn(usesPValue && value < P_FLOOR ? P_FLOOR : value);
    const day = dateToEpochDay(row.date);
    values.days.push(day);
    values.values.push(shown);
    if (row.drift_detected === true) {
      flagged.days.push(day);
      flagged.values.push(shown);
    }
    latest = {
      date: row.date,
      value,
      threshold: finite(row.threshold) ? row.threshold : null,
      detected: row.drift_detected,
      currentN: row.current_n,
    };
  }
  return {
    method,
    measure: MEASURES[method] ?? `${method} statistic`,
    usesPValue,
    values,
    flagged,
    threshold: latest?.threshold ?? null,
    floored,
    daysInRange: rows.length,
    latest,
  };
}

export function driftSummary(chart: DriftChart): string | null {
  const last = chart.latest;
  if (!last) return null;
  const show = (value: number) => (chart.usesPValue ? pValue(value) : num(value, 3));
  const verdict =
    last.detected === true ? "drift detected" : last.detected === false ? "no drift" : "no verdict";
  const side = chart.usesPValue ? "below" : "at or above";
  const threshold =
    last.threshold === null ? "" : `, threshold ${show(last.threshold)} (drift when ${side} it)`;
  const flaggedDays = chart.flagged.days.length;
  const drawn = chart.values.days.length;
  const floored =
    chart.floored > 0
      ? ` ${plural(chart.floored, "p-value", "p-values")} below ${pValue(P_FLOOR)} drawn at ${pValue(P_FLOOR)}.`
      : "";
  return (
    `Latest, ${last.date}, over the last ${plural(last.currentN, "daily return", "daily returns")}: ` +
    `${chart.measure} ${show(last.value)}${threshold}: ${verdict}. ` +
    `Drift flagged on ${count(flaggedDays)} of ${plural(drawn, "day", "days")} drawn.${floored}`
  );
}

/** Why the drift chart has nothing to draw. */
export function driftEmptyText(history: HistoryReport, chart: DriftChart | null): string {
  const reason = history.reason ? ` 5_metrics: ${history.reason}.` : "";
  if (history.drift.length === 0) {
    return `No drift verdicts for ${history.start_date}..${history.end_date}.${reason}`;
  }
  const days = plural(history.drift.length, "day", "days");
  if (!chart) return `No drift test applied on the ${days} in the range (no method given).${reason}`;
  return `No ${chart.measure} could be computed on the ${days} in the range (too few returns?).${reason}`;
}
