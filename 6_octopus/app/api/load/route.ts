import { postLoad } from "@/lib/clients/loadData";
import { readJson, refuse, relay } from "@/lib/proxy";
import { checkLoad } from "@/lib/validate";

export async function POST(request: Request) {
  const checked = checkLoad(await readJson(request));
  if (!checked.ok) return refuse(checked.detail);
  return relay(await postLoad(checked.value));
}
