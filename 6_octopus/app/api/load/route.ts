import { postLoad } from "@/lib/clients/loadData";
import { onlyMethod, readJson, refuse, relay } from "@/lib/proxy";
import { checkLoad } from "@/lib/validate";

export async function POST(request: Request) {
  const body = await readJson(request);
  if (!body.ok) return body.response;
  const checked = checkLoad(body.value);
  if (!checked.ok) return refuse(checked.detail);
  return relay(await postLoad(checked.value));
}

export const GET = onlyMethod("POST");
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
