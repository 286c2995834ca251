"use client";

import { useMemo, useState } from "react";
import { describeForecast, describePredictFailure, labelSteps } from "@/lib/forecast";
import { closeOn, dateToEpochDay, type CloseSeries, type WalkForwardSeries } from "@/lib/series";
import type { PredictResponse } from "@/lib/types";
import { ForecastForm } from "./ForecastForm";
import { ForecastTable } from "./ForecastTable";
import { ChartLegend } from "./ChartLegend";
import { PriceChart, type ChartForecast } from "./PriceChart";

interface Props {
  ticker: string;
  series: CloseSeries;
  walkForward: WalkForwardSeries | null;
  latest: PredictResponse | null;
  maxHorizon: number | undefined;
  lastDate: string | null;
}

/** The price chart with the forecast the user asks for drawn on it and listed below it. */
export function ForecastWorkbench({ ticker, series, walkForward, latest, maxHorizon, lastDate }: Props) {
  const [current, setCurrent] = useState<{ response: PredictResponse; focus: boolean } | null>(
    latest ? { response: latest, focus: false } : null,
  );
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const forecast: ChartForecast | null = useMemo(() => {
    if (!current) return null;
    const { response, focus } = current;
    const asOfClose = response.as_of ? closeOn(series, dateToEpochDay(response.as_of)) : undefined;
    return {
      asOf: response.as_of,
      asOfClose: asOfClose ?? null,
      rows: labelSteps(response.predictions, series),
      focus,
    };
  }, [current, series]);

  async function ask(date: string, horizon: number) {
    setPending(true);
    setError(null);
    try {
      const res = await fetch("/api/predict", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ticker, date: date || undefined, horizon }),
      });
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        setError(describePredictFailure(res.status, body, { horizon }, maxHorizon));
        return;
      }
      setCurrent({ response: body as PredictResponse, focus: true });
    } catch {
      setError("The dashboard's server did not answer: is `npm start` still running?");
    } finally {
      setPending(false);
    }
  }

  const label = `Daily closes of ${ticker} (${series.days.length.toLocaleString("en-US")} days${lastDate ? ` to ${lastDate}` : ""}), scroll or drag to pan, pinch or wheel to zoom.`;
  return (
    <>
      {series.days.length ? (
        <PriceChart series={series} walkForward={walkForward} forecast={forecast} label={label} />
      ) : (
        <p className="empty-chart">No closes to draw for {ticker}.</p>
      )}
      <ChartLegend walkForward={walkForward} forecast={forecast !== null} />
      <ForecastForm
        defaultDate={lastDate ?? ""}
        defaultHorizon={Math.min(5, maxHorizon ?? 5)}
        maxHorizon={maxHorizon}
        pending={pending}
        error={error}
        done={forecast?.focus ? describeForecast(forecast.rows, forecast.asOf) : null}
        onSubmit={ask}
      />
      <ForecastTable
        rows={forecast?.rows ?? []}
        asOf={current?.response.as_of ?? null}
        interval={current?.response.interval ?? null}
        model={current ? `${current.response.model.name} v${current.response.model.version}` : null}
      />
    </>
  );
}
