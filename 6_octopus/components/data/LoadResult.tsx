import { count } from "@/lib/format";
import type { LoadResponse } from "@/lib/types";

export function LoadResult({ result }: { result: LoadResponse }) {
  const lines: [string, string][] = [
    ["fetched", count(result.fetched)],
    ["inserted", count(result.inserted)],
    ["updated", count(result.updated)],
  ];
  if (result.rejected !== undefined) lines.push(["rejected", count(result.rejected)]);
  lines.push(
    ["source", result.source],
    ["first date", result.first_date ?? "none"],
    ["last date", result.last_date ?? "none"],
  );
  if (result.rebased) lines.push(["re-based", `${count(result.rebased_rows)} rows rewritten`]);
  return (
    <>
      <p>
        Loaded {result.ticker} {result.start_date}..{result.end_date}.
      </p>
      <dl className="facts">
        {lines.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
