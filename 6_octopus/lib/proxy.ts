import "server-only";
import { NextResponse } from "next/server";
import { adminToken } from "./config";
import type { Fetched } from "./http";
import { bannerText, detailText } from "./problems";
import { type Checked, checkRequestHeaders, MAX_BODY_BYTES } from "./validate";

/** A service's answer passed on to the browser: its body on success, `{detail}` otherwise. */
export function relay<T>(result: Fetched<T>): NextResponse {
  if (result.ok) return json(result.data, result.status);
  const { problem } = result;
  if (problem.kind === "client") {
    // 4xx: the service's own words (FastAPI's detail, a string or a list) are the answer; a 4xx
    // without a detail (e.g. the HTML 404 of a proxy) is named in the dashboard's words.
    const own = result.body && typeof result.body === "object" && detailText(result.body) ? result.body : null;
    return json(own ?? { detail: bannerText(problem) }, problem.status ?? 400);
  }
  const status = problem.kind === "timeout" ? 504 : problem.kind === "unreachable" ? 503 : 502;
  return json({ detail: bannerText(problem), service: problem.service }, status);
}

/** A JSON answer in which ADMIN_TOKEN never appears, whatever a service put in its body. */
function json(body: unknown, status: number): NextResponse {
  const token = adminToken();
  const text = JSON.stringify(body);
  const safe = token && text.includes(token) ? JSON.parse(text.split(token).join("[redacted]")) : body;
  return NextResponse.json(safe, { status });
}

/** A POST route handler for a browser action: the body read and checked here (see readJson),
 * its fields checked by `check`, then only those fields sent by `send` and its answer relayed. */
export function jsonAction<T, R>(check: (body: unknown) => Checked<T>, send: (value: T) => Promise<Fetched<R>>) {
  return async (request: Request): Promise<NextResponse> => {
    const body = await readJson(request);
    if (!body.ok) return body.response;
    const checked = check(body.value);
    if (!checked.ok) return refuse(checked.detail);
    return relay(await send(checked.value));
  };
}

export type Read = { ok: true; value: unknown } | { ok: false; response: NextResponse };

/** The JSON body of a same-origin `application/json` request of at most MAX_BODY_BYTES; anything
 * else (a cross-site form post, a huge or broken body) is refused before a service is called. */
export async function readJson(request: Request): Promise<Read> {
  const refused = checkRequestHeaders(request.headers);
  if (refused) return { ok: false, response: refuse(refused.detail, refused.status) };
  const text = await readText(request, MAX_BODY_BYTES);
  if (text === undefined) {
    return { ok: false, response: refuse(`the request body is larger than ${MAX_BODY_BYTES} bytes`, 413) };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, response: refuse("the request body is not valid JSON") };
  }
}

/** The body as text, or undefined once it passes `limit` bytes (stops reading there). */
async function readText(request: Request, limit: number): Promise<string | undefined> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function refuse(detail: string, status = 400): NextResponse {
  return NextResponse.json({ detail }, { status });
}

/** The answer to a method a route does not serve (Next's own 405 has no body). */
export function onlyMethod(allowed: string) {
  return () =>
    NextResponse.json({ detail: `method not allowed: use ${allowed}` }, { status: 405, headers: { allow: allowed } });
}
