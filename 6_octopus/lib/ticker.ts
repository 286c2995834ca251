// Which ticker a page shows: the `?ticker=` query, else the first one stored (pure).

export const DEFAULT_TICKER = "MSFT";
const TICKER_PATTERN = /^[A-Z0-9][A-Z0-9.\-^=]{0,15}$/;

/** MSFT first (the suite's first ticker), then alphabetical. */
export function orderTickers(tickers: string[]): string[] {
  const unique = [...new Set(tickers.map((t) => t.toUpperCase()))];
  return unique.sort((a, b) =>
    a === DEFAULT_TICKER ? -1 : b === DEFAULT_TICKER ? 1 : a.localeCompare(b),
  );
}

export function normaliseTicker(value: unknown): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== "string") return undefined;
  // Checked before upper-casing: "ſ".toUpperCase() is "S", so "mſft" would pass as MSFT.
  const ticker = raw.trim();
  return TICKER_PATTERN.test(ticker.toUpperCase()) && /^[\x21-\x7e]+$/.test(ticker) ? ticker.toUpperCase() : undefined;
}

export function pickTicker(param: unknown, known: string[]): string {
  return normaliseTicker(param) ?? orderTickers(known)[0] ?? DEFAULT_TICKER;
}

/** A link to `path` that keeps the ticker. */
export function withTicker(path: string, ticker: string | undefined): string {
  return ticker ? `${path}?ticker=${encodeURIComponent(ticker)}` : path;
}
