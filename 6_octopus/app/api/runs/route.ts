import { postRun } from "@/lib/clients/shepherd";
import { onlyMethod, readJson, refuse, relay } from "@/lib/proxy";
import { checkRun } from "@/lib/validate";

export async function POST(request: Request) {
  const body = await readJson(request);
  if (!body.ok) return body.response;
  const checked = checkRun(body.value);
  if (!checked.ok) return refuse(checked.detail);
  return relay(await postRun(checked.value.ticker));
}

export const GET = onlyMethod("POST");
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
