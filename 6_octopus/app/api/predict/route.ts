import { postPredict } from "@/lib/clients/estimator";
import { jsonAction, onlyMethod } from "@/lib/proxy";
import { checkPredict } from "@/lib/validate";

export const POST = jsonAction(checkPredict, postPredict);

export const GET = onlyMethod("POST");
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
