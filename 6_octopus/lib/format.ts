// Numbers and dates as the pages print them (pure). A missing value prints as an en dash.

export const MISSING = "–";

/** Up to `digits` decimals (exactly `digits` when `fixed`, for columns that line up). */
export function num(value: number | null | undefined, digits = 3, fixed = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 10 ** -digits || abs >= 1e7)) return value.toExponential(2);
  return value.toLocaleString("en-US", {
    maximumFractionDigits: digits,
    minimumFractionDigits: fixed ? digits : 0,
  });
}

export function price(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function percent(value: number | null | undefined, digits = 1, alreadyPercent = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const pct = alreadyPercent ? value : value * 100;
  return `${pct.toFixed(digits)}%`;
}

export function milliseconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return MISSING;
  const ms = seconds * 1000;
  return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
}

export function pValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return value < 0.001 ? value.toExponential(1) : value.toFixed(3);
}

/** "2026-11-27T10:19:18.002+00:00" -> "2026-11-27 10:19 UTC"; a plain date stays as it is. */
export function dateTime(value: string | null | undefined): string {
  if (!value) return MISSING;
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) return value;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return `${new Date(parsed).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function count(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return value.toLocaleString("en-US");
}
