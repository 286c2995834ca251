import { NextResponse } from "next/server";

/** The dashboard's own liveness: answers without asking the other services (a slow backend
 * must not make the dashboard look dead; the pages name a backend that is down). */
export function GET() {
  return NextResponse.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
