"use client";

import type { IChartApi, LineData, UTCTimestamp } from "lightweight-charts";
import { useEffect, useRef } from "react";

const SECONDS_PER_DAY = 86_400;

export interface MiniLine {
  color: string;
  dash: "solid" | "dashed" | "dotted";
  /** "points": dots on the given days only (e.g. the days flagged as drift), no line. */
  kind?: "line" | "points";
  days: number[];
  values: number[];
}

interface Props {
  testId: string;
  /** The first line is the one counted in data-points (and carries the threshold). */
  lines: MiniLine[];
  threshold: { value: number; color: string } | null;
  scale: "linear" | "log";
  /** "p": p-values (0.05, 1e-4); "decimal": three decimals. */
  format: "decimal" | "p";
}

function data(days: number[], values: number[]): LineData<UTCTimestamp>[] {
  const out = new Array<LineData<UTCTimestamp>>(days.length);
  for (let i = 0; i < days.length; i++) {
    out[i] = { time: (days[i]! * SECONDS_PER_DAY) as UTCTimestamp, value: values[i]! };
  }
  return out;
}

function formatter(format: Props["format"]) {
  if (format === "decimal") return (value: number) => value.toFixed(3);
  return (value: number) => {
    if (value === 0) return "0";
    if (value >= 0.01) return String(Number(value.toPrecision(2)));
    return value.toExponential(0);
  };
}

/** A small static line chart (lightweight-charts, loaded on first use, drawn once near the
 * viewport): no pan or zoom, so it never takes over the page's scroll on a phone. What it
 * shows is said in its figure's caption; data-points is set once drawn. */
export function MonitoringChart({ testId, lines, threshold, scale, format }: Props) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let disposed = false;
    let chart: IChartApi | undefined;
    const draw = async () => {
      const { createChart, LineSeries, LineStyle, PriceScaleMode } = await import("lightweight-charts");
      if (disposed) return;
      const style = { solid: LineStyle.Solid, dashed: LineStyle.Dashed, dotted: LineStyle.Dotted } as const;
      chart = createChart(el, {
        autoSize: true,
        layout: { background: { color: "#ffffff" }, textColor: "#1f2937", fontSize: 11 },
        grid: { vertLines: { color: "#eef0f3" }, horzLines: { color: "#eef0f3" } },
        timeScale: { borderColor: "#9ca3af", fixLeftEdge: true, fixRightEdge: true },
        rightPriceScale: {
          borderColor: "#9ca3af",
          mode: scale === "log" ? PriceScaleMode.Logarithmic : PriceScaleMode.Normal,
        },
        localization: { priceFormatter: formatter(format) },
        handleScroll: false,
        handleScale: false,
      });
      lines.forEach((line, index) => {
        const points = line.kind === "points";
        const series = chart!.addSeries(LineSeries, {
          color: line.color,
          lineWidth: index === 0 ? 2 : 1,
          lineStyle: style[line.dash],
          lineVisible: !points,
          pointMarkersVisible: points,
          pointMarkersRadius: points ? 2 : undefined,
          lastValueVisible: false,
          priceLineVisible: false,
          crosshairMarkerVisible: !points,
          title: "",
          // The threshold line stays in view even when every value is far from it.
          autoscaleInfoProvider:
            index === 0 && threshold
              ? (base: () => { priceRange: { minValue: number; maxValue: number } | null } | null) => {
                  const info = base();
                  if (!info?.priceRange) return info;
                  return {
                    ...info,
                    priceRange: {
                      minValue: Math.min(info.priceRange.minValue, threshold.value),
                      maxValue: Math.max(info.priceRange.maxValue, threshold.value),
                    },
                  };
                }
              : undefined,
        });
        series.setData(data(line.days, line.values));
        if (index === 0 && threshold) {
          series.createPriceLine({
            price: threshold.value,
            color: threshold.color,
            lineWidth: 1,
            lineStyle: LineStyle.Dashed,
            axisLabelVisible: true,
            title: "threshold",
          });
        }
      });
      chart.timeScale().fitContent();
      el.dataset.points = String(lines[0]?.days.length ?? 0);
    };
    // Drawn when it comes near the viewport: below the fold, it costs the page's first load
    // nothing (no main-thread work before the price chart is up).
    const watcher = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        watcher.disconnect();
        void draw();
      },
      { rootMargin: "200px 0px" },
    );
    watcher.observe(el);
    return () => {
      disposed = true;
      watcher.disconnect();
      chart?.remove();
      delete el.dataset.points;
    };
  }, [lines, threshold, scale, format]);

  // A canvas says nothing to a screen reader: the figure's caption says what it shows and its
  // latest values. (Not aria-hidden: the library's attribution link inside is focusable.)
  return <div ref={box} className="mini-chart" data-testid={testId} />;
}
