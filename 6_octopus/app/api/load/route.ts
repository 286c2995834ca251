import { postLoad } from "@/lib/clients/loadData";
import { jsonAction, onlyMethod } from "@/lib/proxy";
import { checkLoad } from "@/lib/validate";

export const POST = jsonAction(checkLoad, postLoad);

export const GET = onlyMethod("POST");
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
