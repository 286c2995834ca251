import { NextResponse } from "next/server";
import { onlyMethod } from "@/lib/proxy";

/** The dashboard's own liveness: answers without asking the other services (a slow backend
 * must not make the dashboard look dead; the pages name a backend that is down). */
export function GET() {
  return NextResponse.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}

export const POST = onlyMethod("GET");
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
