// Price and prediction series in the compact form the chart draws from (pure).
// Days are counted from 1970-01-01 (UTC): small integers that cross the server/browser
// boundary cheaply; the chart multiplies them by 86,400 to get its UTC timestamps.
import type { PriceRow, WalkForwardPoint } from "./types";

const MS_PER_DAY = 86_400_000;

export function dateToEpochDay(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY);
}

export function epochDayToDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export interface CloseSeries {
  days: number[];
  closes: number[];
}

/** Closes by day, oldest first, one per day (the last row of a day wins). */
export function toCloseSeries(prices: PriceRow[]): CloseSeries {
  const rows = [...prices].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const days: number[] = [];
  const closes: number[] = [];
  for (const row of rows) {
    if (!Number.isFinite(row.close)) continue;
    const day = dateToEpochDay(row.date);
    if (days.length && days[days.length - 1] === day) {
      closes[closes.length - 1] = row.close;
      continue;
    }
    days.push(day);
    closes.push(row.close);
  }
  return { days, closes };
}

export interface WalkForwardSeries {
  days: number[];
  lstm: number[];
  /** Index of the first holdout point (the ones before it are validation); -1 when none. */
  firstHoldout: number;
}

export function toWalkForwardSeries(points: WalkForwardPoint[]): WalkForwardSeries {
  const rows = points
    .filter((p) => Number.isFinite(p.lstm))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return {
    days: rows.map((p) => dateToEpochDay(p.date)),
    lstm: rows.map((p) => p.lstm),
    firstHoldout: rows.findIndex((p) => p.slice !== "validation"),
  };
}

/** The close on `day`, by binary search; undefined when the day has none. */
export function closeOn(series: CloseSeries, day: number): number | undefined {
  let lo = 0;
  let hi = series.days.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const value = series.days[mid]!;
    if (value === day) return series.closes[mid];
    if (value < day) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

export function lastDay(series: CloseSeries): number | undefined {
  return series.days[series.days.length - 1];
}
