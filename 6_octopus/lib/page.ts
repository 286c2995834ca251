import "server-only";
import { getTickers } from "./clients/loadData";
import { pickTicker } from "./ticker";

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The ticker a page shows: `?ticker=`, else the first stored (MSFT first), else MSFT. */
export async function tickerOf(searchParams: SearchParams): Promise<string> {
  const [params, stored] = await Promise.all([searchParams, getTickers()]);
  return pickTicker(params.ticker, stored.ok ? stored.data.tickers.map((t) => t.ticker) : []);
}
