"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTransition } from "react";
import { normaliseTicker } from "@/lib/ticker";

/** The ticker every page shows, kept in `?ticker=`; changing it reloads the page's data. */
export function TickerSelect({ tickers, fallback }: { tickers: string[]; fallback: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  const current = normaliseTicker(params.get("ticker")) ?? fallback;
  const options = tickers.includes(current) ? tickers : [current, ...tickers];

  function choose(ticker: string) {
    const next = new URLSearchParams(params.toString());
    next.set("ticker", ticker);
    startTransition(() => router.push(`${pathname}?${next.toString()}`));
  }

  return (
    <div className="ticker-select" aria-busy={pending}>
      <label htmlFor="ticker-select">Ticker</label>
      <select id="ticker-select" value={current} onChange={(e) => choose(e.target.value)}>
        {options.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
    </div>
  );
}
