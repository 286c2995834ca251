import { describe, expect, it } from "vitest";
import { bannerText, detailText, isOutage, kindOfFetchError, type ServiceProblem } from "@/lib/problems";

describe("bannerText", () => {
  const base = { url: "http://127.0.0.1:8003" } as const;
  it.each<[ServiceProblem, string]>([
    [{ ...base, service: "metrics", kind: "unreachable" }, "5_metrics (http://127.0.0.1:8003) is not answering: start it with `make up`"],
    [{ ...base, service: "loadData", kind: "timeout" }, "2_load_data (http://127.0.0.1:8003) did not answer in time"],
    [{ ...base, service: "estimator", kind: "server", status: 503, detail: "no model yet" }, "4_nn_estimator api (http://127.0.0.1:8003) failed with HTTP 503: no model yet"],
    [{ ...base, service: "shepherd", kind: "invalid", status: 200 }, "1_shepherd (http://127.0.0.1:8003) answered something that is not the expected JSON"],
    [{ ...base, service: "shepherd", kind: "client", status: 401, detail: "missing token" }, "refused the request (HTTP 401): missing token"],
  ])("%o", (problem, expected) => {
    expect(bannerText(problem)).toContain(expected);
  });

  it.each([
    ["unreachable", true],
    ["timeout", true],
    ["server", true],
    ["invalid", true],
    ["client", false],
  ] as const)("%s is an outage: %s", (kind, outage) => {
    expect(isOutage({ service: "metrics", url: "x", kind })).toBe(outage);
  });
});

describe("detailText", () => {
  it.each([
    [{ detail: "Not Found" }, "Not Found"],
    [{ detail: [{ loc: ["body", "horizon"], msg: "too big" }] }, "horizon: too big"],
    [{ detail: [{ loc: ["query", "ticker"], msg: "empty" }, { loc: ["body"], msg: "bad" }] }, "ticker: empty; bad"],
    [{ detail: { code: 1 } }, '{"code":1}'],
    [{ other: 1 }, undefined],
    [null, undefined],
    ["text", undefined],
  ])("%j -> %s", (body, text) => {
    expect(detailText(body)).toBe(text);
  });
});

describe("kindOfFetchError", () => {
  const named = (name: string) => Object.assign(new Error("x"), { name });
  it.each([
    [named("TimeoutError"), "timeout"],
    [named("AbortError"), "timeout"],
    [new TypeError("fetch failed"), "unreachable"],
    ["weird", "unreachable"],
  ])("%s -> %s", (error, kind) => {
    expect(kindOfFetchError(error)).toBe(kind);
  });
});
