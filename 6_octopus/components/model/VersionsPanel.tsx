import { ServiceBanner } from "@/components/ServiceBanner";
import { getModelVersions } from "@/lib/clients/estimator";
import { dateTime, pValue } from "@/lib/format";
import type { ModelVersion } from "@/lib/types";
import { TableScroller } from "@/components/TableScroller";

function Gate({ version }: { version: ModelVersion }) {
  const gate = version.gate;
  if (!gate) return <span className="hint">no gate record</span>;
  return (
    <>
      <span className={`tag ${gate.decision === "promote" ? "tag-good" : "tag-bad"}`}>
        {gate.decision === "promote" ? "promoted" : "rejected"}
      </span>
      {gate.p_value !== undefined && gate.p_value !== null ? <span className="hint"> p = {pValue(gate.p_value)}</span> : null}
      {gate.reasons?.length ? (
        <ul className="reasons">
          {gate.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

/** Recent versions with the gate's decision and its reasons (GET /models). */
export async function VersionsPanel({ ticker }: { ticker: string }) {
  const result = await getModelVersions(ticker, 20);
  return (
    <section aria-labelledby="versions-heading" className="panel">
      <h2 id="versions-heading">Recent versions</h2>
      {!result.ok ? (
        result.problem.kind === "client" ? (
          <p className="note">
            No version history for {ticker}: {result.problem.detail ?? `HTTP ${result.problem.status}`}
          </p>
        ) : result.problem.kind === "unreachable" || result.problem.kind === "timeout" ? (
          // The champion panel above names the api in its banner already.
          <p className="note">The version history is unavailable while the api does not answer.</p>
        ) : (
          <ServiceBanner problem={result.problem} />
        )
      ) : result.data.versions.length === 0 ? (
        <p className="note">No versions registered for {ticker} yet.</p>
      ) : (
        <TableScroller label="Versions (table)">
          <table data-testid="versions-table">
            <caption>Versions and the gate&apos;s decision</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Status</th>
                <th scope="col">Trained at</th>
                <th scope="col">Data</th>
                <th scope="col">Promoted at</th>
                <th scope="col">Gate</th>
              </tr>
            </thead>
            <tbody>
              {result.data.versions.map((v) => (
                <tr key={v.version}>
                  <th scope="row">v{v.version}</th>
                  <td>{v.status ?? "–"}</td>
                  <td>{dateTime(v.trained_at)}</td>
                  <td>
                    {v.train_start ?? "?"}..{v.train_end ?? "?"}
                  </td>
                  <td>{dateTime(v.promoted_at)}</td>
                  <td>
                    <Gate version={v} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
    </section>
  );
}
