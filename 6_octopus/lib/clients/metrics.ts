import "server-only";
import { callService, has, query } from "../http";
import type { HistoryReport, MetricsReport } from "../types";

const reportShape = has.object("data_drift", "inference", "naive", "drift");
const driftShape = has.object("reference", "current");

export function getMetrics(ticker: string) {
  return callService<MetricsReport>("metrics", `/metrics${query({ ticker })}`, {
    // The cards read data_drift.reference/current and n: a report without them is not drawn.
    shape: (body) => reportShape(body) && driftShape(body.data_drift as Record<string, unknown>) && has.number("n")(body),
  });
}

const historyShape = [
  has.rows("quality", { date: "string", rolling_n: "number" }),
  has.rows("drift", { date: "string" }),
  has.string("start_date"),
  has.string("end_date"),
  has.number("rolling_window"),
  has.number("drift_window"),
];

/** Per-day rolling accuracy and drift verdicts for the monitoring charts (default range: the
 * 180 days up to the last close). */
export function getMetricsHistory(ticker: string, horizon = 1) {
  return callService<HistoryReport>("metrics", `/metrics/history${query({ ticker, horizon })}`, {
    shape: (body) => historyShape.every((check) => check(body)),
  });
}
