import { getRun } from "@/lib/clients/shepherd";
import { onlyMethod, refuse, relay } from "@/lib/proxy";
import { checkRunId } from "@/lib/validate";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const checked = checkRunId((await params).id);
  if (!checked.ok) return refuse(checked.detail);
  return relay(await getRun(checked.value));
}

export const POST = onlyMethod("GET");
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
