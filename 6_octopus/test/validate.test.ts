import { describe, expect, it } from "vitest";
import { checkLoad, checkPredict, checkRun } from "@/lib/validate";

describe("checkPredict", () => {
  it.each([
    [{ ticker: "msft", horizon: 5 }, { ok: true, value: { ticker: "MSFT", horizon: 5 } }],
    [{ ticker: "MSFT", date: "2017-01-03", horizon: 9 }, { ok: true, value: { ticker: "MSFT", date: "2017-01-03", horizon: 9 } }],
    [{ ticker: "MSFT", date: "", horizon: 1 }, { ok: true, value: { ticker: "MSFT", horizon: 1 } }],
    [{ ticker: "MSFT", horizon: "5" }, { ok: false }],
    [{ ticker: "MSFT", horizon: 1.5 }, { ok: false }],
    [{ ticker: "MSFT", date: "03/01/2017", horizon: 1 }, { ok: false }],
    [{ horizon: 1 }, { ok: false }],
    [[1, 2], { ok: false }],
    [undefined, { ok: false }],
  ])("%j", (body, expected) => {
    expect(checkPredict(body)).toMatchObject(expected);
  });
});

describe("checkLoad", () => {
  it.each([
    [{ ticker: "aapl", start_date: "2020-01-01", end_date: "2020-02-01" }, true],
    [{ ticker: "AAPL", start_date: "2020-01-01" }, false],
    [{ ticker: "", start_date: "2020-01-01", end_date: "2020-02-01" }, false],
    [{ ticker: "AAPL", start_date: "2020-13-45", end_date: "2020-02-01" }, false],
  ])("%j -> %s", (body, ok) => {
    expect(checkLoad(body).ok).toBe(ok);
  });
});

describe("checkRun", () => {
  it.each([
    [{ ticker: "msft" }, true],
    [{ ticker: 1 }, false],
    [null, false],
  ])("%j -> %s", (body, ok) => {
    expect(checkRun(body).ok).toBe(ok);
  });
});
