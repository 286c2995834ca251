"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { detailText } from "@/lib/problems";
import type { LoadResponse } from "@/lib/types";
import { LoadResult } from "./LoadResult";

type State =
  | { phase: "idle" }
  | { phase: "loading" }
  | { phase: "loaded"; result: LoadResponse }
  | { phase: "failed"; message: string };

/** Loads a date range of daily prices (POST /load through the dashboard's server). */
export function LoadForm({ defaultTicker, defaultEnd }: { defaultTicker: string; defaultEnd: string }) {
  const router = useRouter();
  const [ticker, setTicker] = useState(defaultTicker);
  const [start, setStart] = useState(`${Number(defaultEnd.slice(0, 4)) - 5}${defaultEnd.slice(4)}`);
  const [end, setEnd] = useState(defaultEnd);
  const [state, setState] = useState<State>({ phase: "idle" });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setState({ phase: "loading" });
    try {
      const res = await fetch("/api/load", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ticker: ticker.trim(), start_date: start, end_date: end }),
      });
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        setState({ phase: "failed", message: `HTTP ${res.status}: ${detailText(body) ?? "refused"}` });
        return;
      }
      setState({ phase: "loaded", result: body as LoadResponse });
      router.refresh(); // the coverage table and the ticker list
    } catch {
      setState({ phase: "failed", message: "the dashboard's server did not answer" });
    }
  }

  const loading = state.phase === "loading";
  return (
    <>
      <form className="load-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="load-ticker">Ticker</label>
          <input
            id="load-ticker"
            type="text"
            required
            autoCapitalize="characters"
            spellCheck={false}
            value={ticker}
            onChange={(e) => setTicker(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="load-start">Start date</label>
          <input id="load-start" type="date" required value={start} onChange={(e) => setStart(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="load-end">End date</label>
          <input id="load-end" type="date" required value={end} onChange={(e) => setEnd(e.target.value)} />
        </div>
        <button type="submit" disabled={loading}>
          Load
        </button>
      </form>
      <div role="status" aria-live="polite" aria-busy={loading} data-testid="load-result" className="load-result">
        {state.phase === "loading" ? <p className="progress">Loading…</p> : null}
        {state.phase === "loaded" ? <LoadResult result={state.result} /> : null}
        {state.phase === "failed" ? <p className="error-text">Load refused: {state.message}</p> : null}
      </div>
    </>
  );
}
