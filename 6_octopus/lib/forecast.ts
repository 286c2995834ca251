// Forecast steps labelled against the stored closes, and a refused forecast in words (pure).
import { detailText } from "./problems";
import { closeOn, dateToEpochDay, lastDay, type CloseSeries } from "./series";
import type { PredictionStep } from "./types";

export interface ForecastRow {
  step: number;
  date: string | null;
  close: number;
  lower: number;
  upper: number;
  /** "forecast": after the last stored close; "backtest": a day whose close is known. */
  kind: "forecast" | "backtest";
  actual: number | null;
}

export function labelSteps(steps: PredictionStep[], series: CloseSeries): ForecastRow[] {
  const last = lastDay(series);
  return steps.map((step) => {
    const day = step.date ? dateToEpochDay(step.date) : undefined;
    const future = day === undefined || last === undefined || day > last;
    const actual = future || day === undefined ? undefined : closeOn(series, day);
    return {
      step: step.step,
      date: step.date,
      close: step.close,
      lower: step.lower,
      upper: step.upper,
      kind: future ? "forecast" : "backtest",
      actual: actual ?? null,
    };
  });
}

interface ValidationItem {
  type?: unknown;
  loc?: unknown;
}

function isHorizonProblem(body: unknown): boolean {
  if (!body || typeof body !== "object") return false;
  const detail = (body as { detail?: unknown }).detail;
  if (typeof detail === "string") return /horizon/i.test(detail);
  if (!Array.isArray(detail)) return false;
  return detail.some(
    (item: ValidationItem) =>
      item?.type === "horizon_out_of_range" ||
      (Array.isArray(item?.loc) && item.loc.includes("horizon")),
  );
}

/** The message shown when the api refuses a forecast (status >= 400). */
export function describePredictFailure(
  status: number,
  body: unknown,
  request: { horizon: number },
  maxHorizon: number | undefined,
): string {
  const detail = detailText(body);
  if (status === 422 && isHorizonProblem(body)) {
    const limit =
      maxHorizon !== undefined
        ? `The model forecasts at most ${maxHorizon} trading day${maxHorizon === 1 ? "" : "s"} ahead (its max_horizon)`
        : "The horizon is outside what the model was trained to forecast";
    const asked = `you asked for ${request.horizon}`;
    const hint = maxHorizon !== undefined ? ` Choose a horizon from 1 to ${maxHorizon}.` : "";
    return `${limit}; ${asked}.${hint}${detail ? ` (The api said: ${detail})` : ""}`;
  }
  if (detail) return `The forecast was refused (HTTP ${status}): ${detail}`;
  return `The forecast failed (HTTP ${status}).`;
}

/** What the form's live region says once a forecast is drawn (a screen reader hears it). */
export function describeForecast(rows: ForecastRow[], asOf: string | null): string {
  if (!rows.length) return "The api answered with no forecast steps.";
  const ahead = rows.filter((r) => r.kind === "forecast").length;
  const past = rows.length - ahead;
  const from = asOf ? ` from the close of ${asOf}` : "";
  const parts = [`${rows.length} step${rows.length === 1 ? "" : "s"}${from} drawn on the chart and listed in the table`];
  if (past) parts.push(`${past} on day${past === 1 ? "" : "s"} with a known close`);
  return `Forecast ready: ${parts.join(", ")}.`;
}
