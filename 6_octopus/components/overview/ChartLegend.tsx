import { CHART_COLORS as COLORS } from "@/lib/chartColors";
import { epochDayToDate, type WalkForwardSeries } from "@/lib/series";

/** What each line on the price chart is (in words, not colour alone). */
export function ChartLegend({ walkForward, forecast }: { walkForward: WalkForwardSeries | null; forecast: boolean }) {
  const holdoutDay = walkForward && walkForward.firstHoldout >= 0 ? walkForward.days[walkForward.firstHoldout] : undefined;
  return (
    <ul className="legend">
      <li>
        <span className="swatch" style={{ background: COLORS.close }} /> actual close (blue)
      </li>
      {walkForward && walkForward.days.length ? (
        <li>
          <span className="swatch" style={{ background: COLORS.lstm }} /> champion&apos;s walk-forward
          forecasts, one day ahead (orange)
          {holdoutDay !== undefined ? `: validation, then holdout from ${epochDayToDate(holdoutDay)}` : ""}
        </li>
      ) : null}
      {forecast ? (
        <li>
          <span className="swatch" style={{ background: COLORS.forecast }} /> forecast (purple), band
          dashed
        </li>
      ) : null}
    </ul>
  );
}
