import { count, dateTime, num } from "@/lib/format";
import type { RunOut } from "@/lib/types";
import { TableScroller } from "@/components/TableScroller";

function Status({ run }: { run: RunOut }) {
  const tone =
    run.outcome === "succeeded" || run.outcome === "nothing_to_do"
      ? "tag-good"
      : run.outcome === "running"
        ? ""
        : "tag-bad";
  return <span className={`tag ${tone}`}>{run.outcome.replaceAll("_", " ")}</span>;
}

export function RunsTable({ runs, ticker }: { runs: RunOut[]; ticker: string }) {
  return (
    <TableScroller label="Runs (table)">
      <table data-testid="runs-table">
        <caption>Recent runs for {ticker}, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Status</th>
            <th scope="col">Reason</th>
            <th scope="col">Rows loaded</th>
            <th scope="col">Model</th>
            <th scope="col">Started</th>
            <th scope="col">Finished</th>
          </tr>
        </thead>
        <tbody>
          {runs.length === 0 ? (
            <tr>
              <td colSpan={7}>No runs yet: start one with “Run now”.</td>
            </tr>
          ) : (
            runs.map((run) => (
              <tr key={run.id} data-run-id={run.id}>
                <th scope="row">
                  #{run.id} <span className="hint">{run.trigger}</span>
                </th>
                <td>
                  <Status run={run} />
                </td>
                <td className="reason">{run.reason ?? "–"}</td>
                <td>{count(run.rows_loaded)}</td>
                <td>
                  {run.model_version !== null ? `v${run.model_version}` : "–"}
                  {run.gate_decision ? <span className="hint"> ({run.gate_decision})</span> : null}
                </td>
                <td>{dateTime(run.started_at)}</td>
                <td>
                  {dateTime(run.finished_at)}
                  {run.duration_seconds !== null ? <span className="hint"> ({num(run.duration_seconds, 1)} s)</span> : null}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </TableScroller>
  );
}
