import { describe, expect, it } from "vitest";
import { accuracyCards, driftCard, latencyCard } from "@/lib/metricCards";
import type { MetricsReport } from "@/lib/types";
import recorded from "./support/metrics-report.json";

// A report as 5_metrics answered it for a fresh champion (n = 0, offline figures present).
const fresh = recorded as unknown as MetricsReport;

function live(overrides: Partial<MetricsReport> = {}): MetricsReport {
  return {
    ...fresh,
    n: 60, start: "2017-08-18", end: "2017-11-10",
    mse: 0.5, rmse: 0.7071, mae: 0.5, mape: 0.61, rel_mae: 1.03,
    naive: { mse: 0.45, rmse: 0.67, mae: 0.48, mape: 0.6 },
    drift: { mse: 0.46, rmse: 0.68, mae: 0.49, mape: 0.6 },
    reason: null,
    ...overrides,
  };
}

describe("accuracyCards", () => {
  it.each([
    { name: "live figures when n > 0", report: live(), source: "live", mae: "0.5", naiveMae: "0.48", note: false },
    { name: "offline holdout when n = 0", report: fresh, source: "offline", mae: "0.441", naiveMae: "0.444", note: true },
    { name: "nothing at all", report: { ...fresh, offline: null }, source: "none", mae: "–", naiveMae: "–", note: true },
  ])("$name", ({ report, source, mae, naiveMae, note }) => {
    const cards = accuracyCards(report);
    expect(cards.map((c) => c.id)).toEqual(["mse", "rmse", "mae", "mape"]);
    const card = cards.find((c) => c.id === "mae")!;
    expect(card.source).toBe(source);
    expect(card.value).toBe(mae);
    expect(card.baselines).toContainEqual({ label: "naive", value: naiveMae });
    expect(card.baselines.map((b) => b.label)).toEqual(["naive", "drift"]);
    expect(card.note !== null).toBe(note);
  });

  it("labels offline figures as the holdout and says why live ones are missing", () => {
    const card = accuracyCards(fresh)[0]!;
    expect(card.sourceLabel).toContain("offline evaluation (holdout)");
    expect(card.note).toContain("n = 0");
    expect(card.note).toContain(fresh.reason!);
  });

  it("counts in-sample forecasts in the note", () => {
    const card = accuracyCards({ ...fresh, n_in_sample: 3 })[0]!;
    expect(card.note).toContain("3 matured forecasts fell inside the training window");
  });

  it.each([
    { n: 1, label: "live, 1 forecast 2017-08-18..2017-11-10 (horizon 1)" },
    { n: 60, label: "live, 60 forecasts 2017-08-18..2017-11-10 (horizon 1)" },
  ])("says how many live forecasts: $n", ({ n, label }) => {
    expect(accuracyCards(live({ n }))[0]!.sourceLabel).toBe(label);
  });

  it("prints MAPE as a percent", () => {
    expect(accuracyCards(live()).find((c) => c.id === "mape")!.value).toBe("0.61%");
  });
});

describe("driftCard", () => {
  const drift = (drift_detected: boolean | null) => ({ ...fresh, data_drift: { ...fresh.data_drift, drift_detected } });
  it.each([
    [true, "drift", "Drift detected in daily log returns"],
    [false, "stable", "No drift detected in daily log returns"],
    [null, "unknown", "No data yet: drift not computed"],
  ])("drift_detected %s -> %s", (detected, status, verdict) => {
    const card = driftCard(drift(detected));
    expect(card.status).toBe(status);
    expect(card.verdict).toBe(verdict);
    expect(card.lines.map((l) => l.label)).toEqual(expect.arrayContaining(["method", "statistic", "p-value", "threshold"]));
  });
});

describe("latencyCard", () => {
  it.each([
    { name: "figures in ms", inference: { ...fresh.inference, avg_seconds: 0.0012, p95_seconds: 0.0031 }, hasData: true, mean: "1.20 ms", p95: "3.10 ms" },
    {
      name: "none yet, with the reason",
      inference: { ...fresh.inference, avg_seconds: null, p95_seconds: null, reason: "no requests yet", note: null },
      hasData: false, mean: "–", p95: "–",
    },
  ])("$name", ({ inference, hasData, mean, p95 }) => {
    const card = latencyCard({ ...fresh, inference });
    expect(card).toMatchObject({ hasData, mean, p95 });
    if (!hasData) expect(card.note).toMatch(/^No data yet: .*no requests yet/);
  });
});
