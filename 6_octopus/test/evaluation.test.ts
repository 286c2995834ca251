import { describe, expect, it } from "vitest";
import { bandRows, evaluationRows } from "@/lib/evaluation";
import type { ModelMetrics } from "@/lib/types";

const metrics: ModelMetrics = {
  eval_start: "2016-11-15",
  eval_end: "2017-11-10",
  n_eval_days: 250,
  horizons: {
    "5": { lstm: { mae: 1.02, rel_mae: 0.95 }, naive: { mae: 1.07, rel_mae: 1 }, drift: { mae: 1.01 } },
    "1": {
      lstm: { mae: 0.44, rmse: 0.64, mape: 0.64, mase: 1.98, rel_mae: 0.99, direction_accuracy: 0.56 },
      naive: { mae: 0.444, rel_mae: 1 },
      coverage: 0.916,
      band: { nominal: 0.9, lstm: { coverage: 0.916, width_pct: 3.26, winkler_pct: 4.31 }, naive: { coverage: 0.908 } },
    },
  },
};

describe("evaluationRows", () => {
  it.each([
    { name: "horizons ascending, lstm first, missing forecasters left out", metrics, rows: [[1, "lstm"], [1, "naive"], [5, "lstm"], [5, "naive"], [5, "drift"]] },
    { name: "no metrics", metrics: null, rows: [] },
    { name: "no horizons", metrics: { eval_start: "x" }, rows: [] },
  ])("$name", ({ metrics: m, rows }) => {
    expect(evaluationRows(m).map((r) => [r.horizon, r.forecaster])).toEqual(rows);
  });

  it("keeps the figures and nulls what is missing", () => {
    expect(evaluationRows(metrics)[0]).toEqual({
      horizon: 1, forecaster: "lstm", mae: 0.44, rmse: 0.64, mape: 0.64, mase: 1.98, relMae: 0.99, directionAccuracy: 0.56,
    });
    expect(evaluationRows(metrics)[1]!.rmse).toBeNull();
  });
});

describe("bandRows", () => {
  it.each([
    { horizon: 1, lstmCoverage: 0.916, naiveCoverage: 0.908, nominal: 0.9 },
    { horizon: 5, lstmCoverage: null, naiveCoverage: null, nominal: null },
  ])("horizon $horizon", ({ horizon, ...figures }) => {
    expect(bandRows(metrics).find((r) => r.horizon === horizon)).toMatchObject(figures);
  });
});
