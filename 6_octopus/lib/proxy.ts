import "server-only";
import { NextResponse } from "next/server";
import type { Fetched } from "./http";
import { bannerText } from "./problems";

/** A service's answer passed on to the browser: its body on success, `{detail}` otherwise. */
export function relay<T>(result: Fetched<T>): NextResponse {
  if (result.ok) return NextResponse.json(result.data, { status: result.status });
  const { problem } = result;
  if (problem.kind === "client") {
    // 4xx: the service's own words (FastAPI's detail, a string or a list) are the answer.
    const body = result.body && typeof result.body === "object" ? result.body : { detail: problem.detail };
    return NextResponse.json(body, { status: problem.status ?? 400 });
  }
  const status = problem.kind === "timeout" ? 504 : problem.kind === "unreachable" ? 503 : 502;
  return NextResponse.json({ detail: bannerText(problem), service: problem.service }, { status });
}

export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return undefined;
  }
}

export function refuse(detail: string): NextResponse {
  return NextResponse.json({ detail }, { status: 400 });
}
