// The suite's services as the dashboard names them (pure: no environment here, see config.ts).

export type ServiceKey = "loadData" | "estimator" | "metrics" | "shepherd";

export const SERVICE_LABELS: Record<ServiceKey, string> = {
  loadData: "2_load_data",
  estimator: "4_nn_estimator api",
  metrics: "5_metrics",
  shepherd: "1_shepherd",
};

export const SERVICE_ENV: Record<ServiceKey, { name: string; fallback: string }> = {
  loadData: { name: "LOAD_DATA_URL", fallback: "http://127.0.0.1:8001" },
  estimator: { name: "ESTIMATOR_URL", fallback: "http://127.0.0.1:8002" },
  metrics: { name: "METRICS_URL", fallback: "http://127.0.0.1:8003" },
  shepherd: { name: "SHEPHERD_URL", fallback: "http://127.0.0.1:8004" },
};
