import "server-only";
import { cache } from "react";
import { callService, has, query } from "../http";
import type {
  ModelResponse,
  ModelVersionsResponse,
  PredictResponse,
  WalkForwardResponse,
} from "../types";

export const getModel = cache((ticker: string) =>
  callService<ModelResponse>("estimator", `/model${query({ ticker })}`, { shape: has.number("max_horizon") }),
);

export function getWalkForward(ticker: string) {
  return callService<WalkForwardResponse>("estimator", `/model/walk-forward${query({ ticker })}`, {
    shape: has.rows("points", { date: "string" }),
  });
}

export function getModelVersions(ticker: string, limit = 20) {
  return callService<ModelVersionsResponse>("estimator", `/models${query({ ticker, limit })}`, {
    shape: has.rows("versions", { version: "number" }),
  });
}

export interface PredictRequest {
  ticker: string;
  date?: string;
  horizon: number;
}

export function postPredict(request: PredictRequest) {
  return callService<PredictResponse>("estimator", "/predict", {
    method: "POST",
    body: request,
    shape: has.rows("predictions", { step: "number", close: "number" }),
  });
}
