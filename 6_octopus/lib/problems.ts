// What went wrong talking to a service, and the words the user reads about it (pure).
import { SERVICE_LABELS, type ServiceKey } from "./services";

export type ProblemKind = "unreachable" | "timeout" | "server" | "client" | "invalid";

export interface ServiceProblem {
  service: ServiceKey;
  url: string;
  kind: ProblemKind;
  status?: number;
  detail?: string;
}

/** Down, slow or broken: the page shows a banner. A 4xx is an answer, shown where it belongs. */
export function isOutage(problem: ServiceProblem): boolean {
  return problem.kind !== "client";
}

export function bannerText(problem: ServiceProblem): string {
  const who = `${SERVICE_LABELS[problem.service]} (${problem.url})`;
  switch (problem.kind) {
    case "unreachable":
      return `${who} is not answering: start it with \`make up\``;
    case "timeout":
      return `${who} did not answer in time: is it overloaded or stuck? Check its log, or restart it with \`make up\``;
    case "server":
      return `${who} failed with HTTP ${problem.status ?? "5xx"}${problem.detail ? `: ${problem.detail}` : ""}`;
    case "invalid":
      return `${who} answered something that is not the expected JSON${problem.detail ? ` (${problem.detail})` : ""}`;
    case "client":
      return `${who} refused the request (HTTP ${problem.status ?? "4xx"})${problem.detail ? `: ${problem.detail}` : ""}`;
  }
}

interface ValidationItem {
  loc?: unknown[];
  msg?: unknown;
}

/** FastAPI's `detail`, a string or a list of {loc, msg}, as one sentence. */
export function detailText(body: unknown): string | undefined {
  if (!body || typeof body !== "object" || !("detail" in body)) return undefined;
  const detail = (body as { detail: unknown }).detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    const parts = detail.map((item: ValidationItem) => {
      const field = Array.isArray(item?.loc)
        ? item.loc.filter((part) => part !== "body" && part !== "query").join(".")
        : "";
      const msg = typeof item?.msg === "string" ? item.msg : JSON.stringify(item);
      return field ? `${field}: ${msg}` : msg;
    });
    return parts.join("; ") || undefined;
  }
  return detail === undefined || detail === null ? undefined : JSON.stringify(detail);
}

/** Classifies a failed fetch (the exception thrown by fetch itself). */
export function kindOfFetchError(error: unknown): ProblemKind {
  const name = error instanceof Error ? error.name : "";
  return name === "TimeoutError" || name === "AbortError" ? "timeout" : "unreachable";
}
