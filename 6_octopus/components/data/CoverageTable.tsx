import { count } from "@/lib/format";
import { orderTickers } from "@/lib/ticker";
import type { TickerCoverage } from "@/lib/types";
import { TableScroller } from "@/components/TableScroller";

export function CoverageTable({ tickers }: { tickers: TickerCoverage[] }) {
  const order = orderTickers(tickers.map((t) => t.ticker));
  const rows = [...tickers].sort((a, b) => order.indexOf(a.ticker) - order.indexOf(b.ticker));
  return (
    <TableScroller label="Coverage (table)">
      <table data-testid="coverage-table">
        <caption>Stored prices per ticker</caption>
        <thead>
          <tr>
            <th scope="col">Ticker</th>
            <th scope="col">First date</th>
            <th scope="col">Last date</th>
            <th scope="col">Rows</th>
            <th scope="col">Sources</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={5}>Nothing stored yet: load a ticker above.</td>
            </tr>
          ) : (
            rows.map((t) => (
              <tr key={t.ticker}>
                <th scope="row">{t.ticker}</th>
                <td>{t.first_date}</td>
                <td>{t.last_date}</td>
                <td>{count(t.rows)}</td>
                <td>{t.sources.join(", ")}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </TableScroller>
  );
}
