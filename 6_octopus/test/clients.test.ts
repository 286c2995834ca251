import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postLoad } from "@/lib/clients/loadData";
import { getMetrics, getMetricsHistory } from "@/lib/clients/metrics";
import { getRun, getRuns, postRun } from "@/lib/clients/shepherd";

// The service clients' shape checks against a stand-in answering `bodies[path]` with 200: a body
// that passed the old shallow checks but lacked what the pages read crashed the page (the
// layout on `{"tickers":[1]}`, the metrics panel on `{"data_drift":{}}`, Run now on `{}`).
const report = readFileSync(new URL("./support/metrics-report.json", import.meta.url), "utf8");
const bodies: Record<string, string> = {};
let server: Server;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { "content-type": "application/json" });
    res.end(bodies[(req.url ?? "").split("?")[0]!] ?? "{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const name of ["LOAD_DATA_URL", "ESTIMATOR_URL", "METRICS_URL", "SHEPHERD_URL"]) process.env[name] = base;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const WRONG = '{"data_drift":{},"inference":{},"naive":{},"drift":{},"runs":[null],"status":null,"run_id":"7"}';

describe("service clients refuse a 200 of the wrong shape", () => {
  it.each([
    { name: "metrics report", call: () => getMetrics("MSFT"), path: "/metrics", good: report },
    {
      name: "metrics history",
      call: () => getMetricsHistory("MSFT"),
      path: "/metrics/history",
      good: '{"start_date":"2017-05-14","end_date":"2017-11-10","rolling_window":20,"drift_window":60,"quality":[{"date":"2017-06-01","rolling_n":3}],"drift":[]}',
    },
    { name: "runs", call: () => getRuns("MSFT"), path: "/runs", good: '{"runs":[{"id":1,"status":"succeeded"}]}' },
    { name: "run", call: () => getRun(1), path: "/runs/1", good: '{"id":1,"status":"running"}' },
    { name: "run accepted", call: () => postRun("MSFT"), path: "/runs", good: '{"run_id":7}' },
    { name: "load", call: () => postLoad({ ticker: "MSFT", start_date: "2017-01-01", end_date: "2017-01-31" }), path: "/load", good: '{"ticker":"MSFT","fetched":3}' },
  ])("$name", async ({ call, path, good }) => {
    bodies[path] = good;
    expect((await call()).ok).toBe(true);
    for (const wrong of [WRONG, "{}"]) {
      bodies[path] = wrong;
      expect(await call()).toMatchObject({ ok: false, problem: { kind: "invalid" } });
    }
  });
});
