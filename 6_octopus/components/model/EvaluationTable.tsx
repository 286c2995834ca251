import { num, percent } from "@/lib/format";
import type { EvaluationRow } from "@/lib/evaluation";
import { TableScroller } from "@/components/TableScroller";

export function EvaluationTable({ rows }: { rows: EvaluationRow[] }) {
  if (!rows.length) return <p className="note">No evaluation recorded for this version.</p>;
  return (
    <TableScroller label="Walk-forward evaluation (table)">
      <table data-testid="evaluation-table">
        <caption>Walk-forward evaluation per horizon</caption>
        <thead>
          <tr>
            <th scope="col">Horizon</th>
            <th scope="col">Forecaster</th>
            <th scope="col">MAE</th>
            <th scope="col">RMSE</th>
            <th scope="col">MAPE</th>
            <th scope="col">MASE</th>
            <th scope="col">rel_mae</th>
            <th scope="col">Direction</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.horizon}-${r.forecaster}`} className={r.forecaster === "lstm" ? "row-strong" : undefined}>
              <td>{r.horizon}</td>
              <th scope="row">{r.forecaster}</th>
              <td>{num(r.mae, 4, true)}</td>
              <td>{num(r.rmse, 4, true)}</td>
              <td>{percent(r.mape, 3, true)}</td>
              <td>{num(r.mase, 3, true)}</td>
              <td>{num(r.relMae, 4, true)}</td>
              <td>{percent(r.directionAccuracy, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        rel_mae = MAE / naive MAE on the same days (below 1 beats naive); MASE scales by the
        in-sample one-step naive MAE; direction = share of days the sign of the change was right.
      </p>
    </TableScroller>
  );
}
