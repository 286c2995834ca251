import { ServiceBanner } from "@/components/ServiceBanner";
import { MONITORING_COLORS as COLORS } from "@/lib/chartColors";
import { pValue, num } from "@/lib/format";
import type { Fetched } from "@/lib/http";
import {
  driftEmptyText,
  driftSummary,
  qualityEmptyText,
  qualitySummary,
  toDriftChart,
  toQualityChart,
} from "@/lib/monitoring";
import { isOutage } from "@/lib/problems";
import type { HistoryReport } from "@/lib/types";
import { MonitoringChart, type MiniLine } from "./MonitoringChart";

type Swatch = Pick<MiniLine, "color" | "dash" | "kind"> & { text: string };

/** What each line is, in words (colour and line style said, not only shown). */
function Legend({ items }: { items: Swatch[] }) {
  return (
    <ul className="legend">
      {items.map((item) => (
        <li key={item.text}>
          <span
            className={item.kind === "points" ? "swatch swatch-dot" : "swatch swatch-line"}
            style={item.kind === "points" ? { background: item.color } : { borderTopColor: item.color, borderTopStyle: item.dash }}
          />{" "}
          {item.text}
        </li>
      ))}
    </ul>
  );
}

function Empty({ testId, text }: { testId: string; text: string }) {
  return (
    <p className="empty-chart mini-empty" data-testid={testId} data-points="0">
      {text}
    </p>
  );
}

/** The two monitoring charts under the cards: rolling accuracy beside the baselines, and the
 * drift test per day against its threshold (5_metrics GET /metrics/history). */
export async function MonitoringPanel({ ticker, history }: { ticker: string; history: Promise<Fetched<HistoryReport>> }) {
  const result = await history;
  if (!result.ok) {
    return (
      <div className="monitoring">
        <h3>Over time</h3>
        {isOutage(result.problem) ? (
          <ServiceBanner problem={result.problem} />
        ) : (
          <p className="note">
            No monitoring history for {ticker}: {result.problem.detail ?? `HTTP ${result.problem.status}`}
          </p>
        )}
      </div>
    );
  }
  const report = result.data;
  const quality = toQualityChart(report);
  const drift = toDriftChart(report);
  const qualityText = qualitySummary(report, quality);
  const driftText = drift ? driftSummary(drift) : null;

  const qualityLines: MiniLine[] = [
    { color: COLORS.model, dash: "solid", ...quality.model },
    { color: COLORS.naive, dash: "dashed", ...quality.naive },
    ...(quality.driftForecast
      ? [{ color: COLORS.driftForecast, dash: "dotted" as const, ...quality.driftForecast }]
      : []),
  ];
  const driftLines: MiniLine[] = drift
    ? [
        { color: COLORS.driftValue, dash: "solid", ...drift.values },
        ...(drift.flagged.days.length
          ? [{ color: COLORS.flagged, dash: "solid" as const, kind: "points" as const, ...drift.flagged }]
          : []),
      ]
    : [];
  const showThreshold = (value: number) => (drift?.usesPValue ? pValue(value) : num(value, 3));
  const reference = report.drift_reference;

  return (
    <section className="monitoring" aria-labelledby="monitoring-heading">
      <h3 id="monitoring-heading">Over time</h3>
      <p className="hint">
        {report.start_date}..{report.end_date}, horizon {report.horizon}
        {report.model_version !== null ? `, model v${report.model_version}` : ""}.
      </p>
      <div className="monitoring-charts">
        <figure className="mini-figure">
          <figcaption>
            <strong>Rolling accuracy</strong>: mean absolute error of the champion&apos;s live
            one-day forecasts over the last {report.rolling_window} matured days, beside the naive
            forecast (the last close) and the drift forecast on the same days. Lower is better.
            {qualityText ? <span className="mini-summary">{qualityText}</span> : null}
          </figcaption>
          {quality.model.days.length ? (
            <>
              <MonitoringChart testId="monitoring-quality-chart" lines={qualityLines} threshold={null} scale="linear" format="decimal" />
              <Legend
                items={[
                  { color: COLORS.model, dash: "solid", text: "model rolling MAE (orange, solid)" },
                  { color: COLORS.naive, dash: "dashed", text: "naive rolling MAE (grey, dashed)" },
                  ...(quality.driftForecast
                    ? [{ color: COLORS.driftForecast, dash: "dotted" as const, text: "drift forecast rolling MAE (teal, dotted)" }]
                    : []),
                ]}
              />
            </>
          ) : (
            <Empty testId="monitoring-quality-chart" text={qualityEmptyText(report, quality)} />
          )}
        </figure>
        <figure className="mini-figure">
          <figcaption>
            <strong>Data drift</strong>:{" "}
            {drift
              ? `${drift.measure} of the last ${report.drift_window} daily log returns up to each day against the champion's training window${reference?.start && reference.end ? ` (${reference.start}..${reference.end})` : ""}; ${drift.usesPValue ? "below" : "at or above"} the threshold means drift${drift.usesPValue ? " (log scale)" : ""}.`
              : "the drift test per day against its threshold."}
            {driftText ? <span className="mini-summary">{driftText}</span> : null}
          </figcaption>
          {drift && drift.values.days.length ? (
            <>
              <MonitoringChart
                testId="monitoring-drift-chart"
                lines={driftLines}
                threshold={drift.threshold === null ? null : { value: drift.threshold, color: COLORS.threshold }}
                scale={drift.usesPValue ? "log" : "linear"}
                format={drift.usesPValue ? "p" : "decimal"}
              />
              <Legend
                items={[
                  { color: COLORS.driftValue, dash: "solid", text: `${drift.measure} per day (blue, solid)` },
                  ...(drift.threshold !== null
                    ? [{ color: COLORS.threshold, dash: "dashed" as const, text: `threshold ${showThreshold(drift.threshold)} (red, dashed)` }]
                    : []),
                  ...(drift.flagged.days.length
                    ? [{ color: COLORS.flagged, dash: "solid" as const, kind: "points" as const, text: "day flagged as drift (red dot)" }]
                    : []),
                ]}
              />
            </>
          ) : (
            <Empty testId="monitoring-drift-chart" text={driftEmptyText(report, drift)} />
          )}
        </figure>
      </div>
    </section>
  );
}
