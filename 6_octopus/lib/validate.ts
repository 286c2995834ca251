// Checks of what the browser sends to the route handlers, before anything is forwarded (pure).
import { normaliseTicker } from "./ticker";

export type Checked<T> = { ok: true; value: T } | { ok: false; detail: string };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: unknown): value is string {
  return typeof value === "string" && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value));
}

function asObject(body: unknown): Record<string, unknown> | null {
  return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
}

export function checkPredict(body: unknown): Checked<{ ticker: string; date?: string; horizon: number }> {
  const o = asObject(body);
  if (!o) return { ok: false, detail: "the request body must be a JSON object" };
  const ticker = normaliseTicker(o.ticker);
  if (!ticker) return { ok: false, detail: "ticker: a ticker symbol such as MSFT is required" };
  if (o.date !== undefined && o.date !== "" && !isIsoDate(o.date)) {
    return { ok: false, detail: "date: a day as YYYY-MM-DD" };
  }
  const horizon = o.horizon;
  if (typeof horizon !== "number" || !Number.isInteger(horizon)) {
    return { ok: false, detail: "horizon: a whole number of trading days" };
  }
  const date = typeof o.date === "string" && o.date ? o.date : undefined;
  return { ok: true, value: date ? { ticker, date, horizon } : { ticker, horizon } };
}

export function checkLoad(body: unknown): Checked<{ ticker: string; start_date: string; end_date: string }> {
  const o = asObject(body);
  if (!o) return { ok: false, detail: "the request body must be a JSON object" };
  const ticker = normaliseTicker(o.ticker);
  if (!ticker) return { ok: false, detail: "ticker: a ticker symbol such as MSFT is required" };
  if (!isIsoDate(o.start_date)) return { ok: false, detail: "start_date: a day as YYYY-MM-DD" };
  if (!isIsoDate(o.end_date)) return { ok: false, detail: "end_date: a day as YYYY-MM-DD" };
  return { ok: true, value: { ticker, start_date: o.start_date, end_date: o.end_date } };
}

export function checkRun(body: unknown): Checked<{ ticker: string }> {
  const ticker = normaliseTicker(asObject(body)?.ticker);
  return ticker ? { ok: true, value: { ticker } } : { ok: false, detail: "ticker: a ticker symbol such as MSFT is required" };
}
