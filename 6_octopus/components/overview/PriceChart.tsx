"use client";

import type { IChartApi, ISeriesApi, LineData, UTCTimestamp } from "lightweight-charts";
import { useEffect, useRef, useState } from "react";
import { CHART_COLORS } from "@/lib/chartColors";
import type { ForecastRow } from "@/lib/forecast";
import { dateToEpochDay, type CloseSeries, type WalkForwardSeries } from "@/lib/series";

const COLORS = CHART_COLORS;

const SECONDS_PER_DAY = 86_400;
const RANGES = [
  { label: "3 months", days: 91 },
  { label: "1 year", days: 365 },
  { label: "5 years", days: 1826 },
] as const;

interface Drawn {
  chart: IChartApi;
  forecast: ISeriesApi<"Line">;
  lower: ISeriesApi<"Line">;
  upper: ISeriesApi<"Line">;
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function line(days: number[], values: number[]): LineData<UTCTimestamp>[] {
  const out = new Array<LineData<UTCTimestamp>>(days.length);
  for (let i = 0; i < days.length; i++) {
    out[i] = { time: (days[i]! * SECONDS_PER_DAY) as UTCTimestamp, value: values[i]! };
  }
  return out;
}

export interface ChartForecast {
  asOf: string | null;
  asOfClose: number | null;
  rows: ForecastRow[];
  /** Zoom the chart onto the forecast once drawn (a forecast the user asked for). */
  focus?: boolean;
}

interface Props {
  series: CloseSeries;
  walkForward: WalkForwardSeries | null;
  /** Forecast steps with dates, and the close they start from. */
  forecast: ChartForecast | null;
  label: string;
}

/** Daily closes (one setData), the walk-forward predictions and the forecast with its band. */
export function PriceChart({ series, walkForward, forecast, label }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const drawn = useRef<Drawn | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let disposed = false;
    let chart: IChartApi | undefined;
    // Split into tasks so no single one blocks the page for long: the closes (one setData,
    // timed for data-draw-ms), then the walk-forward line, then the forecast's series.
    void (async () => {
      const { createChart, LineSeries, LineStyle } = await import("lightweight-charts");
      if (disposed) return;
      const started = performance.now();
      chart = createChart(el, {
        autoSize: true,
        layout: { background: { color: "#ffffff" }, textColor: "#1f2937" },
        grid: { vertLines: { color: "#eef0f3" }, horzLines: { color: "#eef0f3" } },
        // Small enough to fit 8,000+ daily closes on a phone's width ("All").
        timeScale: { borderColor: "#9ca3af", minBarSpacing: 0.01 },
        rightPriceScale: { borderColor: "#9ca3af" },
        handleScroll: true,
        handleScale: true,
      });
      const closes = chart.addSeries(LineSeries, { color: COLORS.close, lineWidth: 1, title: "close" });
      closes.setData(line(series.days, series.closes));
      chart.timeScale().fitContent();
      el.dataset.points = String(series.days.length);
      el.dataset.drawMs = (performance.now() - started).toFixed(1);
      await nextTask();
      if (disposed) return;
      if (walkForward && walkForward.days.length) {
        const lstm = chart.addSeries(LineSeries, {
          color: COLORS.lstm,
          lineWidth: 1,
          title: "LSTM walk-forward",
          lastValueVisible: false,
        });
        lstm.setData(line(walkForward.days, walkForward.lstm));
        await nextTask();
        if (disposed) return;
      }
      const bandOptions = {
        color: COLORS.band,
        lineWidth: 1 as const,
        lineStyle: LineStyle.Dashed,
        lastValueVisible: false,
        priceLineVisible: false,
      };
      drawn.current = {
        chart,
        forecast: chart.addSeries(LineSeries, {
          color: COLORS.forecast,
          lineWidth: 2,
          title: "forecast",
          priceLineVisible: false,
        }),
        lower: chart.addSeries(LineSeries, bandOptions),
        upper: chart.addSeries(LineSeries, bandOptions),
      };
      setReady(true);
    })();
    return () => {
      disposed = true;
      drawn.current = null;
      chart?.remove();
      setReady(false);
    };
  }, [series, walkForward]);

  useEffect(() => {
    const d = drawn.current;
    const el = box.current;
    if (!ready || !d || !el) return;
    const rows = (forecast?.rows ?? []).filter((r) => r.date !== null);
    const days = rows.map((r) => dateToEpochDay(r.date!));
    const start =
      forecast?.asOf && forecast.asOfClose !== null ? [dateToEpochDay(forecast.asOf)] : [];
    const anchor = start.length ? [forecast!.asOfClose!] : [];
    d.forecast.setData(line([...start, ...days], [...anchor, ...rows.map((r) => r.close)]));
    d.lower.setData(line([...start, ...days], [...anchor, ...rows.map((r) => r.lower)]));
    d.upper.setData(line([...start, ...days], [...anchor, ...rows.map((r) => r.upper)]));
    el.dataset.forecastPoints = String(rows.length);
    const lastForecastDay = days[days.length - 1];
    if (forecast?.focus && lastForecastDay !== undefined) {
      d.chart.timeScale().setVisibleRange({
        from: ((lastForecastDay - 120) * SECONDS_PER_DAY) as UTCTimestamp,
        to: ((lastForecastDay + 5) * SECONDS_PER_DAY) as UTCTimestamp,
      });
    }
  }, [forecast, ready]);

  function showLast(days: number | null) {
    const d = drawn.current;
    const last = series.days[series.days.length - 1];
    if (!d) return;
    if (days === null || last === undefined) {
      d.chart.timeScale().fitContent();
      return;
    }
    const to = Math.max(last, ...(forecast?.rows ?? []).map((r) => (r.date ? dateToEpochDay(r.date) : 0)));
    d.chart.timeScale().setVisibleRange({
      from: ((to - days) * SECONDS_PER_DAY) as UTCTimestamp,
      to: ((to + 3) * SECONDS_PER_DAY) as UTCTimestamp,
    });
  }

  return (
    <figure className="chart-figure">
      <div className="chart-ranges" role="group" aria-label="Chart range">
        {RANGES.map((r) => (
          <button key={r.label} type="button" onClick={() => showLast(r.days)} disabled={!ready}>
            {r.label}
          </button>
        ))}
        <button type="button" onClick={() => showLast(null)} disabled={!ready}>
          All
        </button>
      </div>
      <div ref={box} className="price-chart" data-testid="price-chart" />
      <figcaption>{label}</figcaption>
    </figure>
  );
}
