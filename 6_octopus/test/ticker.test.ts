import { describe, expect, it } from "vitest";
import { normaliseTicker, orderTickers, pickTicker, withTicker } from "@/lib/ticker";

describe("orderTickers", () => {
  it.each([
    [["AAPL", "MSFT", "GOOG"], ["MSFT", "AAPL", "GOOG"]],
    [["msft", "MSFT"], ["MSFT"]],
    [["ZZ", "AA"], ["AA", "ZZ"]],
    [[], []],
  ])("%j -> %j", (given, expected) => {
    expect(orderTickers(given)).toEqual(expected);
  });
});

describe("pickTicker", () => {
  it.each([
    ["aapl", ["MSFT"], "AAPL"],
    [["goog", "x"], ["MSFT"], "GOOG"],
    [undefined, ["AAPL", "MSFT"], "MSFT"],
    [undefined, ["AAPL"], "AAPL"],
    [undefined, [], "MSFT"],
    ["<script>", ["MSFT"], "MSFT"],
    ["", ["MSFT"], "MSFT"],
  ])("%j with %j -> %s", (param, known, expected) => {
    expect(pickTicker(param, known)).toBe(expected);
  });

  it.each([
    ["BRK.B", "BRK.B"],
    ["^GSPC", undefined],
    ["a b", undefined],
    [42, undefined],
    [" msft ", "MSFT"],
    // upper-casing maps some non-ASCII letters to ASCII ones: "ſ" -> "S", "ı" -> "I"
    ["mſft", undefined],
    ["ıbm", undefined],
    ["ＭＳＦＴ", undefined],
    ["M😀", undefined],
    ["../../admin", undefined],
    ["MSFT?x=1", undefined],
    ["%2e%2e", undefined],
    ["A".repeat(17), undefined],
  ])("normalise %j -> %s", (v, t) => {
    expect(normaliseTicker(v)).toBe(t);
  });

  it("keeps the ticker in links", () => {
    expect(withTicker("/model", "BRK.B")).toBe("/model?ticker=BRK.B");
    expect(withTicker("/model", undefined)).toBe("/model");
  });
});
