import { price } from "@/lib/format";
import type { ForecastRow } from "@/lib/forecast";
import { TableScroller } from "@/components/TableScroller";

interface Props {
  rows: ForecastRow[];
  asOf: string | null;
  interval: number | null;
  model: string | null;
}

/** The forecast steps, each labelled "forecast" or shown beside the close that happened. */
export function ForecastTable({ rows, asOf, interval, model }: Props) {
  const band = interval ? `${Math.round(interval * 100)}% band` : "band";
  return (
    <TableScroller label="Forecast steps (table)">
      <table data-testid="forecast-table">
        <caption>Forecast</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Date</th>
            <th scope="col">Forecast</th>
            <th scope="col">Lower</th>
            <th scope="col">Upper</th>
            <th scope="col">Actual</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={6}>No forecast yet: choose a day and a horizon above.</td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr key={r.step} data-kind={r.kind}>
                <td>{r.step}</td>
                <td>{r.date ?? "–"}</td>
                <td>{price(r.close)}</td>
                <td>{price(r.lower)}</td>
                <td>{price(r.upper)}</td>
                <td>
                  {r.kind === "forecast" ? (
                    <span className="tag tag-forecast">forecast</span>
                  ) : r.actual !== null ? (
                    <>
                      {price(r.actual)}{" "}
                      <span className="tag">{r.actual >= r.lower && r.actual <= r.upper ? "inside band" : "outside band"}</span>
                    </>
                  ) : (
                    "no close stored"
                  )}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      {rows.length ? (
        <p className="hint">
          From the close of {asOf ?? "the history given"}
          {model ? ` by ${model}` : ""}; lower and upper bound the {band}.
        </p>
      ) : null}
    </TableScroller>
  );
}
