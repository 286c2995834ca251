import { describe, expect, it } from "vitest";
import { closeOn, dateToEpochDay, epochDayToDate, toCloseSeries, toWalkForwardSeries } from "@/lib/series";
import type { PriceRow, WalkForwardPoint } from "@/lib/types";

const row = (date: string, close: number): PriceRow => ({ date, open: close, high: close, low: close, close, volume: 1 });

describe("epoch days", () => {
  it.each([
    ["1970-01-01", 0],
    ["1970-01-02", 1],
    ["1986-03-13", 5915],
    ["2017-11-10", 17480],
  ])("%s is day %i, and back", (date, day) => {
    expect(dateToEpochDay(date)).toBe(day);
    expect(epochDayToDate(day)).toBe(date);
  });
});

describe("toCloseSeries", () => {
  it.each([
    { name: "empty", rows: [], days: [], closes: [] },
    { name: "sorted by date", rows: [row("2017-01-04", 2), row("2017-01-03", 1)], days: [17169, 17170], closes: [1, 2] },
    { name: "one close per day, the last wins", rows: [row("2017-01-03", 1), row("2017-01-03", 5)], days: [17169], closes: [5] },
    { name: "non-finite closes dropped", rows: [row("2017-01-03", Number.NaN), row("2017-01-04", 2)], days: [17170], closes: [2] },
  ])("$name", ({ rows, days, closes }) => {
    expect(toCloseSeries(rows)).toEqual({ days, closes });
  });

  it("turns 8,000 rows into two arrays quickly", () => {
    const rows = Array.from({ length: 8000 }, (_, i) => row(epochDayToDate(6000 + i), 10 + i / 100));
    const started = performance.now();
    const series = toCloseSeries(rows);
    expect(series.days).toHaveLength(8000);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe("closeOn", () => {
  const series = { days: [1, 2, 4, 8], closes: [10, 20, 40, 80] };
  it.each([
    [1, 10],
    [4, 40],
    [8, 80],
    [3, undefined],
    [0, undefined],
    [9, undefined],
  ])("day %i -> %s", (day, close) => {
    expect(closeOn(series, day)).toBe(close);
  });
});

describe("toWalkForwardSeries", () => {
  const point = (date: string, slice: string, lstm: number): WalkForwardPoint => ({
    date, slice, actual: 1, lstm, naive: 1, drift: null, lower: null, upper: null,
  });
  it.each([
    { name: "holdout after validation", points: [point("2017-01-04", "holdout", 2), point("2017-01-03", "validation", 1)], firstHoldout: 1 },
    { name: "the contract's 'test' slice is the holdout too", points: [point("2017-01-03", "test", 1)], firstHoldout: 0 },
    { name: "validation only", points: [point("2017-01-03", "validation", 1)], firstHoldout: -1 },
  ])("$name", ({ points, firstHoldout }) => {
    const series = toWalkForwardSeries(points);
    expect(series.firstHoldout).toBe(firstHoldout);
    expect(series.days).toEqual([...series.days].sort((a, b) => a - b));
  });
});
