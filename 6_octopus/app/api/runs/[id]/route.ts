import { getRun } from "@/lib/clients/shepherd";
import { refuse, relay } from "@/lib/proxy";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^\d{1,12}$/.test(id)) return refuse("run id: a positive whole number");
  return relay(await getRun(Number(id)));
}
