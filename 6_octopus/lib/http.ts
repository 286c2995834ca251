import "server-only";
import { unstable_rethrow } from "next/navigation";
import { adminToken, DEFAULT_TIMEOUT_MS, serviceUrl } from "./config";
import { detailText, kindOfFetchError, type ProblemKind, type ServiceProblem } from "./problems";
import type { ServiceKey } from "./services";

export type Fetched<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; problem: ServiceProblem; body?: unknown };

interface CallOptions {
  method?: "GET" | "POST";
  body?: unknown;
  /** Send ADMIN_TOKEN as a bearer token when it is set. */
  admin?: boolean;
  timeoutMs?: number;
  /** The least a 2xx body must have for the pages to use it (else: an "invalid" problem). */
  shape?: (body: Record<string, unknown>) => boolean;
}

/** One JSON call to a service: never throws for a network or HTTP failure, returns it. */
export async function callService<T>(
  service: ServiceKey,
  path: string,
  options: CallOptions = {},
): Promise<Fetched<T>> {
  const url = serviceUrl(service);
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const token = options.admin ? adminToken() : undefined;
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(`${url}${path}`, {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: "no-store",
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (error) {
    unstable_rethrow(error); // Next's own control flow (dynamic rendering) is not an outage
    return { ok: false, problem: { service, url, kind: kindOfFetchError(error) } };
  }
  const fail = (kind: ProblemKind, detail?: string, body?: unknown): Fetched<T> => ({
    ok: false,
    body,
    problem: { service, url, kind, status: response.status, detail },
  });
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof Error && error.name === "TimeoutError") return fail("timeout");
    return fail(response.ok ? "invalid" : response.status >= 500 ? "server" : "client");
  }
  if (!response.ok) {
    return fail(response.status >= 500 ? "server" : "client", detailText(body), body);
  }
  const record = body !== null && typeof body === "object" ? (body as Record<string, unknown>) : null;
  if (!record || (options.shape && !options.shape(record))) {
    return fail("invalid", `unexpected body from ${path.split("?")[0]}`);
  }
  return { ok: true, status: response.status, data: body as T };
}

type Field = "string" | "number";

/** Shape checks: `has.list("prices")` is true when body.prices is an array;
 * `has.rows("prices", { date: "string" })` also wants every item an object with those fields. */
export const has = {
  list: (key: string) => (body: Record<string, unknown>) => Array.isArray(body[key]),
  rows: (key: string, fields: Record<string, Field> = {}) => (body: Record<string, unknown>) => {
    const list = body[key];
    return (
      Array.isArray(list) &&
      list.every(
        (item) =>
          item !== null &&
          typeof item === "object" &&
          Object.entries(fields).every(([field, type]) => typeof (item as Record<string, unknown>)[field] === type),
      )
    );
  },
  string: (key: string) => (body: Record<string, unknown>) => typeof body[key] === "string",
  object: (...keys: string[]) => (body: Record<string, unknown>) =>
    keys.every((key) => body[key] !== null && typeof body[key] === "object"),
  number: (key: string) => (body: Record<string, unknown>) => typeof body[key] === "number",
};

export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
