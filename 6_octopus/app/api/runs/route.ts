import { postRun } from "@/lib/clients/shepherd";
import { readJson, refuse, relay } from "@/lib/proxy";
import { checkRun } from "@/lib/validate";

export async function POST(request: Request) {
  const checked = checkRun(await readJson(request));
  if (!checked.ok) return refuse(checked.detail);
  return relay(await postRun(checked.value.ticker));
}
