import { describe, expect, it } from "vitest";
import { checkLoad, checkPredict, checkRequestHeaders, checkRun, checkRunId, MAX_BODY_BYTES } from "@/lib/validate";

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
    [[{ ticker: "MSFT" }], false],
  ])("%j -> %s", (body, ok) => {
    expect(checkRun(body).ok).toBe(ok);
  });
});

describe("checkRunId", () => {
  it.each([
    ["1", 1],
    ["999999999999", 999999999999],
    ["0", undefined],
    ["-1", undefined],
    ["01", undefined],
    ["1e30", undefined],
    ["1.5", undefined],
    ["..", undefined],
    ["9999999999999", undefined],
  ])("%j -> %s", (id, value) => {
    const checked = checkRunId(id);
    expect(checked.ok ? checked.value : undefined).toBe(value);
  });
});

describe("checkRequestHeaders", () => {
  it.each([
    [{ "content-type": "application/json" }, null],
    [{ "content-type": "Application/JSON; charset=UTF-8", host: "a:3000", origin: "http://a:3000" }, null],
    [{ "content-type": "application/json", "sec-fetch-site": "same-origin" }, null],
    [{ "content-type": "application/json", host: "internal:3000", "x-forwarded-host": "dash.example, proxy", origin: "https://dash.example" }, null],
    [{}, 415],
    [{ "content-type": "text/plain" }, 415],
    [{ "content-type": "text/plain;charset=UTF-8" }, 415],
    [{ "content-type": "application/x-www-form-urlencoded" }, 415],
    [{ "content-type": "application/jsonp" }, 415],
    [{ "content-type": "application/json", host: "a:3000", origin: "http://evil:3000" }, 403],
    [{ "content-type": "application/json", host: "a:3000", origin: "http://a:3001" }, 403],
    [{ "content-type": "application/json", origin: "null" }, 403],
    [{ "content-type": "application/json", "sec-fetch-site": "same-site" }, 403],
    [{ "content-type": "application/json", "sec-fetch-site": "cross-site" }, 403],
    [{ "content-type": "application/json", "content-length": String(MAX_BODY_BYTES + 1) }, 413],
  ])("%j -> %s", (headers, status) => {
    expect(checkRequestHeaders(new Headers(headers))?.status ?? null).toBe(status);
  });
});
