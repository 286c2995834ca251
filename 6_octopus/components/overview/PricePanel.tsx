import { ForecastWorkbench } from "./ForecastWorkbench";
import { ServiceBanner } from "@/components/ServiceBanner";
import { getModel, getWalkForward, postPredict } from "@/lib/clients/estimator";
import { getPrices, getTickers } from "@/lib/clients/loadData";
import { isOutage } from "@/lib/problems";
import { epochDayToDate, lastDay, toCloseSeries, toWalkForwardSeries } from "@/lib/series";

const LATEST_HORIZON = 5;

/** Prices from 2_load_data, the walk-forward and the latest forecast from the api. */
export async function PricePanel({ ticker }: { ticker: string }) {
  // 2_load_data that did not answer GET /tickers (the layout's, cached per request) is not asked
  // again: the page waits one deadline for a stuck service, not two in a row.
  const tickers = await getTickers();
  const [prices, walk, model] = await Promise.all([
    !tickers.ok && isOutage(tickers.problem) ? tickers : getPrices(ticker),
    getWalkForward(ticker),
    getModel(ticker),
  ]);
  // The latest forecast: five sessions, or fewer when the model forecasts fewer.
  const horizon = Math.min(LATEST_HORIZON, model.ok ? model.data.max_horizon : LATEST_HORIZON);
  // The api that did not answer GET /model is not asked again (one deadline, not two in a row).
  const latest = !model.ok && isOutage(model.problem) ? model : await postPredict({ ticker, horizon });
  const series = prices.ok ? toCloseSeries(prices.data.prices) : { days: [], closes: [] };
  const last = lastDay(series);
  // One banner per service that is down; the api's three calls share one.
  const apiOutage = [walk, latest, model].find((r) => !r.ok && isOutage(r.problem));
  const notes: string[] = [];
  if (prices.ok && series.days.length === 0) {
    notes.push(`2_load_data has no prices for ${ticker}: load them on the Data page.`);
  }
  if (!prices.ok && !isOutage(prices.problem)) notes.push(`Prices: ${prices.problem.detail ?? "refused"}`);
  if (!walk.ok && !isOutage(walk.problem)) {
    notes.push(`Walk-forward predictions: ${walk.problem.detail ?? `HTTP ${walk.problem.status}`}`);
  }
  if (!latest.ok && !isOutage(latest.problem)) {
    notes.push(`Latest forecast: ${latest.problem.detail ?? `HTTP ${latest.problem.status}`}`);
  }
  return (
    <section aria-labelledby="price-heading" className="panel">
      <h2 id="price-heading">Price and forecast</h2>
      {!prices.ok && isOutage(prices.problem) ? <ServiceBanner problem={prices.problem} /> : null}
      {apiOutage && !apiOutage.ok ? <ServiceBanner problem={apiOutage.problem} /> : null}
      {notes.map((note) => (
        <p key={note} className="note">
          {note}
        </p>
      ))}
      {prices.ok && prices.data.sources.length ? (
        <p className="hint">Source: {prices.data.sources.join(", ")}</p>
      ) : null}
      <ForecastWorkbench
        ticker={ticker}
        series={series}
        walkForward={walk.ok ? toWalkForwardSeries(walk.data.points) : null}
        latest={latest.ok ? latest.data : null}
        maxHorizon={model.ok ? model.data.max_horizon : undefined}
        lastDate={last === undefined ? null : epochDayToDate(last)}
      />
    </section>
  );
}
