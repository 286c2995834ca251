// GET /model's `metrics` document as table rows (pure): per horizon, lstm vs naive vs drift.
import type { HorizonEvaluation, ModelMetrics } from "./types";

export const FORECASTERS = ["lstm", "naive", "drift"] as const;
export type Forecaster = (typeof FORECASTERS)[number];

export interface EvaluationRow {
  horizon: number;
  forecaster: Forecaster;
  mae: number | null;
  rmse: number | null;
  mape: number | null;
  mase: number | null;
  relMae: number | null;
  directionAccuracy: number | null;
}

export interface BandRow {
  horizon: number;
  nominal: number | null;
  lstmCoverage: number | null;
  lstmWidthPct: number | null;
  lstmWinklerPct: number | null;
  naiveCoverage: number | null;
  naiveWidthPct: number | null;
  naiveWinklerPct: number | null;
}

const value = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function sortedHorizons(metrics: ModelMetrics | null): [number, HorizonEvaluation][] {
  return Object.entries(metrics?.horizons ?? {})
    .map(([h, e]) => [Number(h), e] as [number, HorizonEvaluation])
    .filter(([h]) => Number.isFinite(h))
    .sort((a, b) => a[0] - b[0]);
}

export function evaluationRows(metrics: ModelMetrics | null): EvaluationRow[] {
  return sortedHorizons(metrics).flatMap(([horizon, evaluation]) =>
    FORECASTERS.filter((f) => evaluation[f]).map((forecaster) => {
      const t = evaluation[forecaster]!;
      return {
        horizon,
        forecaster,
        mae: value(t.mae),
        rmse: value(t.rmse),
        mape: value(t.mape),
        mase: value(t.mase),
        relMae: value(t.rel_mae),
        directionAccuracy: value(t.direction_accuracy),
      };
    }),
  );
}

export function bandRows(metrics: ModelMetrics | null): BandRow[] {
  return sortedHorizons(metrics).map(([horizon, e]) => ({
    horizon,
    nominal: value(e.band?.nominal),
    lstmCoverage: value(e.band?.lstm?.coverage ?? e.coverage),
    lstmWidthPct: value(e.band?.lstm?.width_pct),
    lstmWinklerPct: value(e.band?.lstm?.winkler_pct),
    naiveCoverage: value(e.band?.naive?.coverage),
    naiveWidthPct: value(e.band?.naive?.width_pct),
    naiveWinklerPct: value(e.band?.naive?.winkler_pct),
  }));
}
