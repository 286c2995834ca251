import "server-only";
import { callService, has, query } from "../http";
import type { RunAccepted, RunOut, RunsResponse, ScheduleResponse } from "../types";

export function getRuns(ticker: string, limit = 20) {
  return callService<RunsResponse>("shepherd", `/runs${query({ ticker, limit })}`, {
    shape: has.rows("runs", { id: "number", status: "string" }),
  });
}

export function getRun(id: number) {
  return callService<RunOut>("shepherd", `/runs/${id}`, { shape: has.string("status") });
}

export function getSchedule() {
  return callService<ScheduleResponse>("shepherd", "/schedule", { shape: has.rows("jobs") });
}

export function postRun(ticker: string) {
  return callService<RunAccepted>("shepherd", "/runs", {
    method: "POST",
    body: { ticker, force: false },
    admin: true,
    shape: has.number("run_id"),
  });
}
