import "server-only";
import { callService, has, query } from "../http";
import type { MetricsReport } from "../types";

const reportShape = has.object("data_drift", "inference", "naive", "drift");
const driftShape = has.object("reference", "current");

export function getMetrics(ticker: string) {
  return callService<MetricsReport>("metrics", `/metrics${query({ ticker })}`, {
    // The cards read data_drift.reference/current and n: a report without them is not drawn.
    shape: (body) => reportShape(body) && driftShape(body.data_drift as Record<string, unknown>) && has.number("n")(body),
  });
}
