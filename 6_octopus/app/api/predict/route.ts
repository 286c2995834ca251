import { postPredict } from "@/lib/clients/estimator";
import { onlyMethod, readJson, refuse, relay } from "@/lib/proxy";
import { checkPredict } from "@/lib/validate";

export async function POST(request: Request) {
  const body = await readJson(request);
  if (!body.ok) return body.response;
  const checked = checkPredict(body.value);
  if (!checked.ok) return refuse(checked.detail);
  return relay(await postPredict(checked.value));
}

export const GET = onlyMethod("POST");
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
