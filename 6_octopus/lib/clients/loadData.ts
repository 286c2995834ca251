import "server-only";
import { cache } from "react";
import { LOAD_TIMEOUT_MS } from "../config";
import { callService, has, query } from "../http";
import type { LoadResponse, PricesResponse, TickersResponse } from "../types";

/** Coverage per ticker; cached per request (the layout and the page both ask). */
export const getTickers = cache(() =>
  callService<TickersResponse>("loadData", "/tickers", { shape: has.rows("tickers", { ticker: "string" }) }),
);

export function getPrices(ticker: string) {
  return callService<PricesResponse>("loadData", `/prices${query({ ticker })}`, {
    shape: has.rows("prices", { date: "string" }),
  });
}

export interface LoadRequest {
  ticker: string;
  start_date: string;
  end_date: string;
}

export function postLoad(request: LoadRequest) {
  return callService<LoadResponse>("loadData", "/load", {
    method: "POST",
    body: request,
    admin: true,
    timeoutMs: LOAD_TIMEOUT_MS,
    shape: has.number("fetched"),
  });
}
