import { describe, expect, it } from "vitest";
import { describeForecast, describePredictFailure, labelSteps } from "@/lib/forecast";
import { dateToEpochDay } from "@/lib/series";

const series = {
  days: ["2017-11-08", "2017-11-09", "2017-11-10"].map(dateToEpochDay),
  closes: [84.56, 84.09, 83.87],
};
const step = (n: number, date: string | null) => ({ step: n, date, close: 84, lower: 83, upper: 85 });

describe("labelSteps", () => {
  it.each([
    { name: "after the last close: forecast", date: "2017-11-13", kind: "forecast", actual: null },
    { name: "a stored day: its actual beside", date: "2017-11-09", kind: "backtest", actual: 84.09 },
    { name: "the last stored day itself", date: "2017-11-10", kind: "backtest", actual: 83.87 },
    { name: "a day inside the range without a close", date: "2017-11-04", kind: "backtest", actual: null },
    { name: "no date (explicit history)", date: null, kind: "forecast", actual: null },
  ])("$name", ({ date, kind, actual }) => {
    const [row] = labelSteps([step(1, date)], series);
    expect(row).toMatchObject({ kind, actual });
  });

  it("labels every step against an empty history as forecast", () => {
    const rows = labelSteps([step(1, "2017-01-03"), step(2, "2017-01-04")], { days: [], closes: [] });
    expect(rows.map((r) => r.kind)).toEqual(["forecast", "forecast"]);
  });
});

describe("describePredictFailure", () => {
  const horizonBody = {
    detail: [{ type: "horizon_out_of_range", loc: ["body", "horizon"], msg: "horizon must be between 1 and 5 (the model's max_horizon), got 9" }],
  };
  it.each([
    {
      name: "horizon beyond max_horizon, explained",
      status: 422, body: horizonBody, horizon: 9, max: 5,
      includes: ["at most 5 trading days ahead", "you asked for 9", "from 1 to 5", "got 9"],
    },
    {
      name: "horizon problem without a known max",
      status: 422, body: horizonBody, horizon: 9, max: undefined,
      includes: ["outside what the model was trained", "you asked for 9"],
    },
    {
      name: "another 4xx: the detail shown",
      status: 404, body: { detail: "no prices for ZZZZ on or before 1900-01-01" }, horizon: 1, max: 5,
      includes: ["HTTP 404", "no prices for ZZZZ"],
    },
    {
      name: "a 422 on another field names it",
      status: 422, body: { detail: [{ type: "date_from_datetime_parsing", loc: ["body", "date"], msg: "Input should be a valid date" }] }, horizon: 1, max: 5,
      includes: ["date: Input should be a valid date"],
    },
    { name: "no body", status: 500, body: null, horizon: 1, max: 5, includes: ["HTTP 500"] },
  ])("$name", ({ status, body, horizon, max, includes }) => {
    const text = describePredictFailure(status, body, { horizon }, max);
    for (const part of includes) expect(text).toContain(part);
  });
});

describe("describeForecast (the form's live region after a forecast)", () => {
  it.each([
    { steps: [step(1, "2017-11-13")], asOf: "2017-11-10", text: "Forecast ready: 1 step from the close of 2017-11-10 drawn on the chart and listed in the table." },
    {
      steps: [step(1, "2017-11-09"), step(2, "2017-11-10"), step(3, "2017-11-13")],
      asOf: "2017-11-08",
      text: "Forecast ready: 3 steps from the close of 2017-11-08 drawn on the chart and listed in the table, 2 on days with a known close.",
    },
    { steps: [], asOf: null, text: "The api answered with no forecast steps." },
  ])("$text", ({ steps, asOf, text }) => {
    expect(describeForecast(labelSteps(steps, series), asOf)).toBe(text);
  });
});
