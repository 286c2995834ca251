import { describe, expect, it } from "vitest";
import { dateTime, milliseconds, num, percent, price, pValue } from "@/lib/format";

describe("format", () => {
  it.each([
    [() => num(0.41267, 4), "0.4127"],
    [() => num(1, 4, true), "1.0000"],
    [() => num(null), "–"],
    [() => num(Number.NaN), "–"],
    [() => num(0.00001, 3), "1.00e-5"],
    [() => price(83.8699), "83.87"],
    [() => percent(0.916), "91.6%"],
    [() => percent(0.6442, 2, true), "0.64%"],
    [() => milliseconds(0.0044246), "4.42 ms"],
    [() => milliseconds(0.25), "250.0 ms"],
    [() => milliseconds(null), "–"],
    [() => pValue(0.0026707), "0.003"],
    [() => pValue(2.6e-56), "2.6e-56"],
    [() => dateTime("2026-11-27T10:19:18.002454+00:00"), "2026-11-27 10:19 UTC"],
    [() => dateTime("2016-11-14"), "2016-11-14"],
    [() => dateTime(null), "–"],
  ])("%#", (format, expected) => {
    expect(format()).toBe(expected);
  });
});
