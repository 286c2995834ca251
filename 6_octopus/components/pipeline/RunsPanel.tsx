import { ServiceBanner } from "@/components/ServiceBanner";
import { getRuns } from "@/lib/clients/shepherd";
import { RunNowButton } from "./RunNowButton";
import { RunsTable } from "./RunsTable";

/** Recent cycles, newest first, and the button that starts one now. */
export async function RunsPanel({ ticker }: { ticker: string }) {
  const runs = await getRuns(ticker, 20);
  return (
    <section aria-labelledby="runs-heading" className="panel">
      <h2 id="runs-heading">Runs</h2>
      <RunNowButton ticker={ticker} />
      {!runs.ok ? (
        runs.problem.kind === "client" ? (
          <p className="note">{runs.problem.detail ?? `HTTP ${runs.problem.status}`}</p>
        ) : (
          <ServiceBanner problem={runs.problem} />
        )
      ) : (
        <RunsTable runs={runs.data.runs} ticker={ticker} />
      )}
    </section>
  );
}
