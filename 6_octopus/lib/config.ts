import "server-only";
import { SERVICE_ENV, type ServiceKey } from "./services";

// Read at call time, not at import: `next start` gets its environment at run time, and the
// build must not bake in the build machine's URLs or token.

export function serviceUrl(service: ServiceKey): string {
  const { name, fallback } = SERVICE_ENV[service];
  const value = process.env[name]?.trim();
  return (value || fallback).replace(/\/+$/, "");
}

/** The bearer token for state-changing calls; never sent to the browser. */
export function adminToken(): string | undefined {
  return process.env.ADMIN_TOKEN?.trim() || undefined;
}

/** Per-request deadline of a server-side call (ms). */
export const DEFAULT_TIMEOUT_MS = 3_000;
/** A load may download years of prices from Yahoo with retries: it gets longer. */
export const LOAD_TIMEOUT_MS = 60_000;
