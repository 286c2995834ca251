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
  const o = asObject(body);
  if (!o) return { ok: false, detail: "the request body must be a JSON object" };
  const ticker = normaliseTicker(o.ticker);
  return ticker ? { ok: true, value: { ticker } } : { ok: false, detail: "ticker: a ticker symbol such as MSFT is required" };
}

export function checkRunId(id: string): Checked<number> {
  return /^[1-9]\d{0,11}$/.test(id) ? { ok: true, value: Number(id) } : { ok: false, detail: "run id: a positive whole number" };
}

/** The most a browser's action sends is a few fields: a larger body is refused unread. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Refuses what a cross-site page could make a browser send: a form post (text/plain,
 * urlencoded, multipart: no CORS preflight) or any request from another origin. The admin
 * token is added server-side, so the browser's cookies are not what protects the services. */
export function checkRequestHeaders(headers: Headers): { status: number; detail: string } | null {
  const type = headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    return { status: 415, detail: "content-type: send the body as application/json" };
  }
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    return { status: 403, detail: `cross-origin request refused (sec-fetch-site: ${site})` };
  }
  const origin = headers.get("origin");
  if (origin !== null) {
    const hosts = [headers.get("x-forwarded-host")?.split(",")[0]?.trim(), headers.get("host")].filter(Boolean);
    let host: string | null = null;
    try {
      host = new URL(origin).host;
    } catch {
      // "null" (a sandboxed page) or garbage: not this origin
    }
    if (!host || !hosts.includes(host)) return { status: 403, detail: "cross-origin request refused (origin)" };
  }
  const length = Number(headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) {
    return { status: 413, detail: `the request body is larger than ${MAX_BODY_BYTES} bytes` };
  }
  return null;
}
