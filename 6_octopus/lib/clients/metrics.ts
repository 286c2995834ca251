import "server-only";
import { callService, has, query } from "../http";
import type { MetricsReport } from "../types";

export function getMetrics(ticker: string) {
  return callService<MetricsReport>("metrics", `/metrics${query({ ticker })}`, {
    shape: has.object("data_drift", "inference", "naive", "drift"),
  });
}
