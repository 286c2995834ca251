import { percent } from "@/lib/format";
import type { BandRow } from "@/lib/evaluation";
import { TableScroller } from "@/components/TableScroller";

export function BandTable({ rows }: { rows: BandRow[] }) {
  if (!rows.length) return null;
  return (
    <TableScroller label="Prediction band coverage (table)">
      <table data-testid="band-table">
        <caption>Band coverage on the holdout</caption>
        <thead>
          <tr>
            <th scope="col">Horizon</th>
            <th scope="col">Nominal</th>
            <th scope="col">LSTM coverage</th>
            <th scope="col">LSTM width</th>
            <th scope="col">LSTM Winkler</th>
            <th scope="col">Naive coverage</th>
            <th scope="col">Naive width</th>
            <th scope="col">Naive Winkler</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.horizon}>
              <th scope="row">{r.horizon}</th>
              <td>{percent(r.nominal, 0)}</td>
              <td>{percent(r.lstmCoverage, 1)}</td>
              <td>{percent(r.lstmWidthPct, 2, true)}</td>
              <td>{percent(r.lstmWinklerPct, 2, true)}</td>
              <td>{percent(r.naiveCoverage, 1)}</td>
              <td>{percent(r.naiveWidthPct, 2, true)}</td>
              <td>{percent(r.naiveWinklerPct, 2, true)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        The LSTM band beside an equally calibrated band around the naive forecast; width and
        Winkler score in % of the actual close, lower is better.
      </p>
    </TableScroller>
  );
}
