import { postRun } from "@/lib/clients/shepherd";
import { jsonAction, onlyMethod } from "@/lib/proxy";
import { checkRun } from "@/lib/validate";

export const POST = jsonAction(checkRun, ({ ticker }) => postRun(ticker));

export const GET = onlyMethod("POST");
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
