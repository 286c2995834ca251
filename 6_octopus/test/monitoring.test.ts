import { describe, expect, it } from "vitest";
import {
  driftEmptyText,
  driftSummary,
  P_FLOOR,
  qualityEmptyText,
  qualitySummary,
  toDriftChart,
  toQualityChart,
} from "@/lib/monitoring";
import { dateToEpochDay } from "@/lib/series";
import type { DailyDrift, DailyQuality, HistoryReport } from "@/lib/types";

const D1 = dateToEpochDay("2017-06-01");
const D2 = dateToEpochDay("2017-06-02");
const D3 = dateToEpochDay("2017-06-05");

function q(date: string, mae: number | null, naive: number | null, drift: number | null = null, n = 20): DailyQuality {
  return {
    date, as_of: date, predicted: 70, predicted_logged: 70, actual: 70.5, naive: 70.2,
    drift_forecast: 70.25, abs_error: 0.5, naive_abs_error: 0.3, drift_forecast_abs_error: 0.25,
    rolling_mae: mae, rolling_rmse: mae, rolling_naive_mae: naive, rolling_drift_forecast_mae: drift,
    rolling_rel_mae: mae !== null && naive ? mae / naive : null, rolling_mase: null, rolling_n: n,
  };
}

function d(date: string, overrides: Partial<DailyDrift> = {}): DailyDrift {
  return {
    date, method: "ks", statistic: 0.2, p_value: 0.2, psi: 0.1, wasserstein: 0.05, threshold: 0.05,
    drift_detected: false, volume_drift_detected: false, current_n: 60, ...overrides,
  };
}

function history(overrides: Partial<HistoryReport> = {}): HistoryReport {
  const window = { value: 0.23, window: { start: "1986-03-14", end: "2016-11-14", n: 7732 }, reason: null };
  return {
    ticker: "MSFT", horizon: 1, model_version: 1, start_date: "2017-05-14", end_date: "2017-11-10",
    rolling_window: 20, drift_window: 60, drift_reference: window.window, drift_rule: "KS p-value < 0.05",
    mase_scale: window, drift_rate: window, n_in_sample: 0, n_invalid: 0, quality: [], drift: [], reason: null,
    ...overrides,
  };
}

describe("toQualityChart", () => {
  it.each([
    { name: "empty", rows: [], model: [], naive: [], drift: null },
    {
      name: "model beside naive and drift, sorted by date",
      rows: [q("2017-06-02", 0.6, 0.5, 0.55), q("2017-06-01", 0.4, 0.5, 0.45)],
      model: [[D1, D2], [0.4, 0.6]], naive: [[D1, D2], [0.5, 0.5]], drift: [[D1, D2], [0.45, 0.55]],
    },
    {
      name: "a day without the naive's figure is not drawn for the model either (same days)",
      rows: [q("2017-06-01", 0.4, 0.5), q("2017-06-02", 0.6, null), q("2017-06-05", 0.7, 0.6)],
      model: [[D1, D3], [0.4, 0.7]], naive: [[D1, D3], [0.5, 0.6]], drift: null,
    },
    {
      name: "nulls and non-finite model values skipped",
      rows: [q("2017-06-01", null, 0.5), q("2017-06-02", Number.NaN, 0.5), q("2017-06-05", 0.7, 0.6, 0.65)],
      model: [[D3], [0.7]], naive: [[D3], [0.6]], drift: [[D3], [0.65]],
    },
    {
      name: "the drift forecast only on the days it has a figure",
      rows: [q("2017-06-01", 0.4, 0.5, null), q("2017-06-02", 0.6, 0.5, 0.55)],
      model: [[D1, D2], [0.4, 0.6]], naive: [[D1, D2], [0.5, 0.5]], drift: [[D2], [0.55]],
    },
    {
      name: "one row per date, the last wins",
      rows: [q("2017-06-01", 0.4, 0.5), q("2017-06-01", 0.9, 0.8)],
      model: [[D1], [0.9]], naive: [[D1], [0.8]], drift: null,
    },
    {
      name: "drawn to 4 significant digits",
      rows: [q("2017-06-01", 0.5020600891113262, 0.5089999999999997, 0.5020895713672786)],
      model: [[D1], [0.5021]], naive: [[D1], [0.509]], drift: [[D1], [0.5021]],
    },
  ])("$name", ({ rows, model, naive, drift }) => {
    const chart = toQualityChart(history({ quality: rows }));
    const line = (pair: number[][]) => ({ days: pair[0], values: pair[1] });
    expect(chart.model).toEqual(model.length ? line(model) : { days: [], values: [] });
    expect(chart.naive).toEqual(naive.length ? line(naive) : { days: [], values: [] });
    expect(chart.driftForecast).toEqual(drift ? line(drift) : null);
    expect(chart.model.days).toEqual(chart.naive.days);
  });

  it.each([
    { name: "worse than naive", row: q("2017-06-05", 0.6, 0.5, 0.55), text: ["model MAE 0.6", "naive MAE 0.5", "drift forecast 0.55", "rel_mae 1.2", "larger errors"] },
    { name: "better than naive", row: q("2017-06-05", 0.4, 0.5), text: ["rel_mae 0.8", "smaller errors"] },
    { name: "still warming up", row: q("2017-06-05", 0.4, 0.5, null, 3), text: ["over the 3 matured days so far"] },
  ])("summary: $name", ({ row, text }) => {
    const h = history({ quality: [row] });
    const summary = qualitySummary(h, toQualityChart(h))!;
    expect(summary).toContain("Latest, 2017-06-05");
    for (const part of text) expect(summary).toContain(part);
  });

  it("says the exact latest values, not the drawn ones", () => {
    const h = history({ quality: [q("2017-06-05", 0.50206, 0.509)] });
    expect(qualitySummary(h, toQualityChart(h))).toContain("model MAE 0.502,");
    expect(toQualityChart(h).latest?.mae).toBe(0.50206);
  });

  it("has no summary without data", () => {
    const h = history();
    expect(qualitySummary(h, toQualityChart(h))).toBeNull();
  });
});

describe("qualityEmptyText", () => {
  it.each([
    {
      name: "no matured live forecast yet",
      h: history({ reason: "no matured out-of-sample predictions for MSFT horizon 1" }),
      text: ["No matured live forecasts yet", "after the champion's training window (to 2016-11-14)", "2017-05-14..2017-11-10", "5_metrics: no matured out-of-sample"],
      not: ["n_in_sample"],
    },
    {
      name: "in-sample forecasts counted out",
      h: history({ n_in_sample: 12 }),
      text: ["12 matured forecasts in the range were made inside the training window", "n_in_sample = 12"],
      not: [],
    },
    { name: "one in-sample forecast", h: history({ n_in_sample: 1 }), text: ["1 matured forecast in the range was made", "is not counted"], not: [] },
    { name: "no model", h: history({ model_version: null, reason: "no model yet for MSFT" }), text: ["No model yet for MSFT", "5_metrics: no model yet"], not: [] },
    { name: "rows without rolling figures", h: history({ quality: [q("2017-06-01", null, null)] }), text: ["1 matured day", "nothing to draw"], not: [] },
  ])("$name", ({ h, text, not }) => {
    const out = qualityEmptyText(h, toQualityChart(h));
    for (const part of text) expect(out).toContain(part);
    for (const part of not) expect(out).not.toContain(part);
  });
});

describe("toDriftChart", () => {
  it.each([
    { name: "no rows", rows: [], chart: null },
    { name: "no method on any day", rows: [d("2017-06-01", { method: null, p_value: null, statistic: null })], chart: null },
    {
      name: "KS: the p-value is drawn (its threshold applies to it), flagged days marked",
      rows: [d("2017-06-02", { p_value: 0.01, drift_detected: true }), d("2017-06-01", { p_value: 0.3 })],
      chart: { method: "ks", usesPValue: true, values: [[D1, D2], [0.3, 0.01]], flagged: [[D2], [0.01]], threshold: 0.05, floored: 0 },
    },
    {
      name: "Wasserstein: the statistic is drawn",
      rows: [d("2017-06-01", { method: "wasserstein", statistic: 0.12, threshold: 0.1, drift_detected: true })],
      chart: { method: "wasserstein", usesPValue: false, values: [[D1], [0.12]], flagged: [[D1], [0.12]], threshold: 0.1, floored: 0 },
    },
    {
      name: "null values skipped, a null verdict not marked",
      rows: [d("2017-06-01", { p_value: null, drift_detected: null }), d("2017-06-02", { p_value: 0.5, drift_detected: null })],
      chart: { method: "ks", usesPValue: true, values: [[D2], [0.5]], flagged: [[], []], threshold: 0.05, floored: 0 },
    },
    {
      name: "drawn to 4 significant digits",
      rows: [d("2017-06-01", { p_value: 0.00044394757424110674, drift_detected: true })],
      chart: { method: "ks", usesPValue: true, values: [[D1], [0.0004439]], flagged: [[D1], [0.0004439]], threshold: 0.05, floored: 0 },
    },
    {
      name: "a p-value of 0 drawn at the log scale's floor",
      rows: [d("2017-06-01", { p_value: 0, drift_detected: true })],
      chart: { method: "ks", usesPValue: true, values: [[D1], [P_FLOOR]], flagged: [[D1], [P_FLOOR]], threshold: 0.05, floored: 1 },
    },
    {
      name: "days of another method than the latest left out (one scale)",
      rows: [d("2017-06-01", { method: "psi", statistic: 0.5, threshold: 0.2 }), d("2017-06-02", { p_value: 0.4 })],
      chart: { method: "ks", usesPValue: true, values: [[D2], [0.4]], flagged: [[], []], threshold: 0.05, floored: 0 },
    },
  ])("$name", ({ rows, chart }) => {
    const out = toDriftChart(history({ drift: rows }));
    if (chart === null) {
      expect(out).toBeNull();
      return;
    }
    expect(out).toMatchObject({
      method: chart.method,
      usesPValue: chart.usesPValue,
      values: { days: chart.values[0], values: chart.values[1] },
      flagged: { days: chart.flagged[0], values: chart.flagged[1] },
      threshold: chart.threshold,
      floored: chart.floored,
    });
  });

  it.each([
    {
      name: "KS with drift",
      rows: [d("2017-06-01", { p_value: 0.2 }), d("2017-06-02", { p_value: 0.0027, drift_detected: true })],
      text: ["Latest, 2017-06-02", "last 60 daily returns", "KS p-value 0.003", "threshold 0.050 (drift when below it)", "drift detected", "Drift flagged on 1 of 2 days"],
    },
    {
      name: "PSI without drift",
      rows: [d("2017-06-01", { method: "psi", statistic: 0.05, threshold: 0.2 })],
      text: ["PSI 0.05", "threshold 0.2 (drift when at or above it)", "no drift", "Drift flagged on 0 of 1 day drawn"],
    },
    { name: "floored p-values said", rows: [d("2017-06-01", { p_value: 0, drift_detected: true })], text: ["1 p-value below 1.0e-10 drawn at 1.0e-10"] },
  ])("summary: $name", ({ rows, text }) => {
    const summary = driftSummary(toDriftChart(history({ drift: rows }))!)!;
    for (const part of text) expect(summary).toContain(part);
  });

  it.each([
    { name: "no champion", h: history({ reason: "no champion model yet: no training window to compare drift against" }), text: "No drift verdicts for 2017-05-14..2017-11-10. 5_metrics: no champion model yet" },
    { name: "days without a value", h: history({ drift: [d("2017-06-01", { p_value: null })] }), text: "No KS p-value could be computed on the 1 day" },
  ])("empty: $name", ({ h, text }) => {
    expect(driftEmptyText(h, toDriftChart(h))).toContain(text);
  });
});
