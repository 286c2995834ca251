import { postPredict } from "@/lib/clients/estimator";
import { readJson, refuse, relay } from "@/lib/proxy";
import { checkPredict } from "@/lib/validate";

export async function POST(request: Request) {
  const checked = checkPredict(await readJson(request));
  if (!checked.ok) return refuse(checked.detail);
  return relay(await postPredict(checked.value));
}
