import "server-only";
import { callService, has, query } from "../http";
import type { RunAccepted, RunOut, RunsResponse, ScheduleResponse } from "../types";

export function getRuns(ticker: string, limit = 20) {
  return callService<RunsResponse>("shepherd", `/runs${query({ ticker, limit })}`, { shape: has.list("runs") });
}

export function getRun(id: number) {
  return callService<RunOut>("shepherd", `/runs/${id}`);
}

export function getSchedule() {
  return callService<ScheduleResponse>("shepherd", "/schedule", { shape: has.list("jobs") });
}

export function postRun(ticker: string) {
  return callService<RunAccepted>("shepherd", "/runs", {
    method: "POST",
    body: { ticker, force: false },
    admin: true,
  });
}
