// The services' response bodies, mirroring their pydantic schemas (the one place they are
// written down here): 2_load_data/load_data/api/schemas.py, 4_nn_estimator/estimator_api/api/
// schemas.py, 5_metrics/metrics_service/api/schemas.py, 1_shepherd/shepherd/api/schemas.py.
// Dates are "YYYY-MM-DD" strings, datetimes ISO 8601 strings.

// --- 2_load_data ---
export interface TickerCoverage {
  ticker: string;
  first_date: string;
  last_date: string;
  rows: number;
  sources: string[];
}
export interface TickersResponse {
  tickers: TickerCoverage[];
}
export interface PriceRow {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}
export interface PricesResponse {
  ticker: string;
  sources: string[];
  prices: PriceRow[];
}
export interface LoadResponse {
  ticker: string;
  source: string;
  start_date: string;
  end_date: string;
  fetched: number;
  inserted: number;
  updated: number;
  rejected?: number;
  first_date: string | null;
  last_date: string | null;
  rebased?: boolean;
  rebased_rows?: number;
}

// --- 4_nn_estimator api ---
export interface PredictionStep {
  step: number;
  date: string | null;
  close: number;
  lower: number;
  upper: number;
}
export interface PredictResponse {
  ticker: string;
  model: { name: string; version: number; trained_at: string | null };
  as_of: string | null;
  interval: number | null;
  predictions: PredictionStep[];
}
export type FigureTable = Record<string, number | null | undefined>;
export interface BandFigures {
  nominal?: number;
  lstm?: FigureTable;
  naive?: FigureTable;
}
export interface HorizonEvaluation {
  lstm?: FigureTable;
  naive?: FigureTable;
  drift?: FigureTable;
  coverage?: number | null;
  band?: BandFigures;
}
export interface ModelMetrics {
  eval_start?: string;
  eval_end?: string;
  n_eval_days?: number;
  horizons?: Record<string, HorizonEvaluation>;
  mase_scale?: { value: number | null; start?: string; end?: string; n?: number };
  [key: string]: unknown;
}
export interface ModelResponse {
  ticker: string;
  name: string;
  version: number;
  alias: string | null;
  champion_version?: number | null;
  serving_reason?: string | null;
  run_id: string;
  status: string | null;
  trained_at: string | null;
  train_start: string | null;
  train_end: string | null;
  input_length: number;
  max_horizon: number;
  interval: number | null;
  loaded_at: string;
  metrics: ModelMetrics | null;
}
export interface WalkForwardPoint {
  date: string;
  /** "validation" (chose the epoch, calibrated the band), then "holdout" (evaluation only);
   * the contract called the latter "test": both are read as the holdout. */
  slice: "validation" | "holdout" | "test" | (string & {});
  actual: number;
  lstm: number;
  naive: number;
  drift: number | null;
  lower: number | null;
  upper: number | null;
}
export interface WalkForwardResponse {
  ticker: string;
  version: number;
  horizon: number;
  interval: number | null;
  points: WalkForwardPoint[];
}
export interface GateVerdict {
  decision: "promote" | "reject";
  reasons: string[];
  p_value?: number | null;
  [key: string]: unknown;
}
export interface ModelVersion {
  version: number;
  name: string;
  status: string | null;
  trained_at: string | null;
  train_start: string | null;
  train_end: string | null;
  promoted_at: string | null;
  metrics: ModelMetrics | null;
  gate: GateVerdict | null;
}
export interface ModelVersionsResponse {
  ticker: string;
  versions: ModelVersion[];
}

// --- 5_metrics ---
export interface BaselineMetrics {
  mse: number | null;
  rmse: number | null;
  mae: number | null;
  mape: number | null;
}
export interface OfflineMetrics {
  label: string;
  model_version: number;
  horizon: number;
  eval_start: string | null;
  eval_end: string | null;
  n_eval_days: number | null;
  lstm: FigureTable | null;
  naive: FigureTable | null;
  drift: FigureTable | null;
  coverage: number | null;
}
export interface DateRange {
  start: string | null;
  end: string | null;
  n: number;
}
export interface DistributionDrift {
  signal: string;
  method: string | null;
  statistic: number | null;
  p_value: number | null;
  threshold: number | null;
  drift_detected: boolean | null;
  reference: DateRange;
  current: DateRange;
  reason: string | null;
}
export interface DataDrift extends DistributionDrift {
  rule: string;
  thresholds: Record<string, number>;
  volume: DistributionDrift | null;
}
export interface Inference {
  avg_seconds: number | null;
  p95_seconds: number | null;
  source: string | null;
  window: string | null;
  requests: number | null;
  reason: string | null;
  note: string | null;
}
export interface MetricsReport {
  ticker: string;
  horizon: number;
  window: number;
  model_version: number | null;
  n: number;
  start: string | null;
  end: string | null;
  mse: number | null;
  rmse: number | null;
  mae: number | null;
  mape: number | null;
  rel_mae: number | null;
  mase: number | null;
  naive: BaselineMetrics;
  drift: BaselineMetrics;
  n_in_sample: number;
  n_invalid: number;
  reason: string | null;
  offline: OfflineMetrics | null;
  data_drift: DataDrift;
  inference: Inference;
  generated_at: string;
}

/** A figure computed on the champion's training window (GET /metrics/history). */
export interface WindowFigure {
  value: number | null;
  window: DateRange;
  reason: string | null;
}
/** One matured out-of-sample target date, with rolling errors over the last rolling_window days. */
export interface DailyQuality {
  date: string;
  as_of: string;
  predicted: number;
  predicted_logged: number;
  actual: number;
  naive: number;
  drift_forecast: number | null;
  abs_error: number;
  naive_abs_error: number;
  drift_forecast_abs_error: number | null;
  rolling_mae: number | null;
  rolling_rmse: number | null;
  rolling_naive_mae: number | null;
  rolling_drift_forecast_mae: number | null;
  rolling_rel_mae: number | null;
  rolling_mase: number | null;
  rolling_n: number;
}
/** The drift verdict of one trading day: its last drift_window returns against the training window. */
export interface DailyDrift {
  date: string;
  method: string | null;
  statistic: number | null;
  p_value: number | null;
  psi: number | null;
  wasserstein: number | null;
  threshold: number | null;
  drift_detected: boolean | null;
  volume_drift_detected: boolean | null;
  current_n: number;
}
export interface HistoryReport {
  ticker: string;
  horizon: number;
  model_version: number | null;
  start_date: string;
  end_date: string;
  rolling_window: number;
  drift_window: number;
  drift_reference: DateRange | null;
  drift_rule: string;
  mase_scale: WindowFigure;
  drift_rate: WindowFigure;
  n_in_sample: number;
  n_invalid: number;
  quality: DailyQuality[];
  drift: DailyDrift[];
  reason: string | null;
}

// --- 1_shepherd ---
export interface RunOut {
  id: number;
  ticker: string;
  trigger: string;
  started_at: string;
  finished_at: string | null;
  duration_seconds: number | null;
  status: string;
  outcome: string;
  reason: string | null;
  rows_loaded: number | null;
  model_version: number | null;
  action: string | null;
  gate_decision: string | null;
  gate_p_value: number | null;
  force: boolean;
  step: string | null;
}
export interface RunsResponse {
  runs: RunOut[];
}
export interface RunAccepted {
  run_id: number;
  ticker: string;
  status: string;
}
export interface ScheduleResponse {
  enabled: boolean;
  expression: string;
  timezone: string;
  misfire_grace_seconds: number;
  jobs: { id: string; ticker: string; next_run_time: string | null }[];
}
