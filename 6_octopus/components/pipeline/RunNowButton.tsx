"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { detailText } from "@/lib/problems";
import type { RunAccepted, RunOut } from "@/lib/types";

const POLL_MS = 1_500;
const GIVE_UP_MS = 10 * 60_000;

type State =
  | { phase: "idle" }
  | { phase: "starting" }
  | { phase: "running"; id: number; since: number }
  | { phase: "done"; id: number; outcome: string; reason: string | null }
  | { phase: "failed"; message: string };

/** Starts a cycle (POST /runs through the dashboard's server) and follows it to its end. */
export function RunNowButton({ ticker }: { ticker: string }) {
  const router = useRouter();
  const [state, setState] = useState<State>({ phase: "idle" });

  async function start() {
    setState({ phase: "starting" });
    try {
      const res = await fetch("/api/runs", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ticker }),
      });
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        setState({ phase: "failed", message: detailText(body) ?? `HTTP ${res.status}` });
        return;
      }
      setState({ phase: "running", id: (body as RunAccepted).run_id, since: Date.now() });
      router.refresh();
    } catch {
      setState({ phase: "failed", message: "the dashboard's server did not answer" });
    }
  }

  useEffect(() => {
    if (state.phase !== "running") return;
    const timer = setTimeout(async () => {
      try {
        const res = await fetch(`/api/runs/${state.id}`, { cache: "no-store" });
        const run = res.ok ? ((await res.json()) as RunOut) : null;
        router.refresh();
        if (run && run.status !== "running") {
          setState({ phase: "done", id: state.id, outcome: run.outcome, reason: run.reason });
        } else if (Date.now() - state.since > GIVE_UP_MS) {
          setState({ phase: "failed", message: `run #${state.id} is still running; refresh later` });
        } else {
          setState({ ...state }); // poll again
        }
      } catch {
        setState({ ...state });
      }
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [state, router]);

  const busy = state.phase === "starting" || state.phase === "running";
  return (
    <div className="run-now">
      <button type="button" onClick={start} disabled={busy} aria-busy={busy}>
        Run now
      </button>
      <p role="status" className="hint" data-testid="run-status">
        {state.phase === "starting" && "Starting a run…"}
        {state.phase === "running" && `Run #${state.id} accepted (202), running…`}
        {state.phase === "done" &&
          `Run #${state.id} finished: ${state.outcome.replaceAll("_", " ")}${state.reason ? ` (${state.reason})` : ""}`}
      </p>
      {state.phase === "failed" ? (
        <p role="alert" className="error-text">
          Could not start a run: {state.message}
        </p>
      ) : null}
    </div>
  );
}
