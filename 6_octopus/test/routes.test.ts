import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as load from "@/app/api/load/route";
import * as predict from "@/app/api/predict/route";
import * as runs from "@/app/api/runs/route";
import * as run from "@/app/api/runs/[id]/route";
import { MAX_BODY_BYTES } from "@/lib/validate";

// The route handlers called as Next calls them, against a real HTTP server standing in for all
// four services: it records what reached it and answers `{status, type, body}` of `answer`.
const TOKEN = "probe-secret-token";
let server: Server;
let seen: { method?: string; url?: string; authorization?: string }[] = [];
let answer: { status: number; type: string; body: string };

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
    req.resume();
    res.writeHead(answer.status, { "content-type": answer.type });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const name of ["LOAD_DATA_URL", "ESTIMATOR_URL", "METRICS_URL", "SHEPHERD_URL"]) process.env[name] = base;
  process.env.ADMIN_TOKEN = TOKEN;
});

afterAll(() => {
  delete process.env.ADMIN_TOKEN;
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
  answer = { status: 200, type: "application/json", body: '{"ticker":"MSFT","fetched":1,"run_id":7,"status":"ok","predictions":[]}' };
});

const LOAD = { ticker: "MSFT", start_date: "2017-01-01", end_date: "2017-01-31" };

type HeaderTable = Record<string, string | undefined>;

function post(path: string, body: BodyInit | null, headers: HeaderTable = { "content-type": "application/json" }) {
  const all = Object.entries({ host: "dash.local", ...headers }).filter((e): e is [string, string] => e[1] !== undefined);
  return new Request(`http://dash.local${path}`, { method: "POST", body, headers: all });
}

async function detailOf(response: Response): Promise<string> {
  expect(response.headers.get("content-type")).toMatch(/application\/json/);
  const body = (await response.json()) as { detail?: unknown };
  expect(typeof body.detail).toBe("string");
  expect(JSON.stringify(body)).not.toContain(TOKEN);
  return body.detail as string;
}

describe("a cross-site page cannot start a load or a run (CSRF)", () => {
  it.each([
    { what: "text/plain form post", headers: { "content-type": "text/plain" }, status: 415 },
    { what: "urlencoded form post", headers: { "content-type": "application/x-www-form-urlencoded" }, status: 415 },
    { what: "multipart form post", headers: { "content-type": "multipart/form-data; boundary=x" }, status: 415 },
    { what: "no content-type", headers: {}, status: 415 },
    { what: "JSON from another origin", headers: { "content-type": "application/json", origin: "http://evil.example" }, status: 403 },
    { what: "JSON, origin null", headers: { "content-type": "application/json", origin: "null" }, status: 403 },
    { what: "JSON, sec-fetch-site cross-site", headers: { "content-type": "application/json", "sec-fetch-site": "cross-site" }, status: 403 },
  ])("$what -> $status, nothing forwarded", async ({ headers, status }) => {
    for (const [handler, path, body] of [
      [load.POST, "/api/load", LOAD],
      [runs.POST, "/api/runs", { ticker: "MSFT" }],
      [predict.POST, "/api/predict", { ticker: "MSFT", horizon: 1 }],
    ] as const) {
      const response = await handler(post(path, JSON.stringify(body), headers));
      expect(response.status).toBe(status);
      expect(await detailOf(response)).toMatch(/content-type|cross-origin/);
    }
    expect(seen).toEqual([]);
  });

  it.each([
    { "content-type": "application/json" },
    { "content-type": "application/json; charset=utf-8", origin: "http://dash.local", "sec-fetch-site": "same-origin" },
    { "content-type": "application/json", origin: "https://dash.example", "x-forwarded-host": "dash.example" },
  ])("same origin %j is forwarded with the token", async (headers) => {
    const response = await load.POST(post("/api/load", JSON.stringify(LOAD), headers));
    expect(response.status).toBe(200);
    expect(seen).toEqual([{ method: "POST", url: "/load", authorization: `Bearer ${TOKEN}` }]);
  });
});

describe("hostile bodies get a 4xx {detail}, never a 500, and reach no service", () => {
  it.each([
    { name: "not JSON", body: "nope", status: 400, detail: /not valid JSON/ },
    { name: "truncated JSON", body: "{", status: 400, detail: /not valid JSON/ },
    { name: "empty body", body: "", status: 400, detail: /not valid JSON/ },
    { name: "an array", body: "[1,2]", status: 400, detail: /JSON object/ },
    { name: "null", body: "null", status: 400, detail: /JSON object/ },
    { name: "a string", body: '"MSFT"', status: 400, detail: /JSON object/ },
    { name: "ticker ../../admin", body: '{"ticker":"../../admin"}', status: 400, detail: /ticker/ },
    { name: "ticker MSFT?x=1", body: '{"ticker":"MSFT?x=1"}', status: 400, detail: /ticker/ },
    { name: "ticker %2e%2e", body: '{"ticker":"%2e%2e"}', status: 400, detail: /ticker/ },
    { name: "ticker with ſ", body: '{"ticker":"mſft"}', status: 400, detail: /ticker/ },
    { name: "5000-letter ticker", body: `{"ticker":"${"A".repeat(5000)}"}`, status: 400, detail: /ticker/ },
    { name: "body over the limit", body: `{"ticker":"MSFT","pad":"${"x".repeat(MAX_BODY_BYTES)}"}`, status: 413, detail: /larger than/ },
  ])("runs: $name -> $status", async ({ body, status, detail }) => {
    const response = await runs.POST(post("/api/runs", body));
    expect(response.status).toBe(status);
    expect(await detailOf(response)).toMatch(detail);
    expect(seen).toEqual([]);
  });

  it("stops reading a streamed body without content-length at the limit", async () => {
    const chunk = new TextEncoder().encode(" ".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 1_000) controller.close(); // 64 MB if read to the end
        else controller.enqueue(chunk);
      },
    });
    const request = new Request("http://dash.local/api/predict", {
      method: "POST",
      body: stream,
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    const response = await predict.POST(request);
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(10);
    expect(seen).toEqual([]);
  });

  it("forwards only the checked fields, to the fixed path (no query, no extra fields)", async () => {
    const request = new Request("http://dash.local/api/predict?url=http://evil/&path=/admin", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ticker: "msft", horizon: 2, admin: true, url: "http://evil/" }),
    });
    expect((await predict.POST(request)).status).toBe(200);
    expect(seen).toEqual([{ method: "POST", url: "/predict", authorization: undefined }]);
  });
});

describe("wrong methods get a 405 {detail}", () => {
  it.each([
    ["GET /api/load", load.GET, "POST"],
    ["DELETE /api/load", load.DELETE, "POST"],
    ["GET /api/predict", predict.GET, "POST"],
    ["PUT /api/runs", runs.PUT, "POST"],
    ["POST /api/runs/1", run.POST, "GET"],
  ])("%s", async (_name, handler, allowed) => {
    const response = handler();
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe(allowed);
    expect(await detailOf(response)).toContain(allowed);
  });
});

describe("/api/runs/[id]", () => {
  const get = (id: string) => run.GET(new Request(`http://dash.local/api/runs/x`), { params: Promise.resolve({ id }) });

  it.each(["0", "-1", "1e30", "abc", "../health", "..%2f..", "1?x=1", "1/..", " 1", "１", "0001", "9999999999999"])(
    "%j -> 400, nothing forwarded",
    async (id) => {
      const response = await get(id);
      expect(response.status).toBe(400);
      expect(await detailOf(response)).toMatch(/run id/);
      expect(seen).toEqual([]);
    },
  );

  it("forwards a run id to /runs/{id}", async () => {
    expect((await get("7")).status).toBe(200);
    expect(seen.map((s) => s.url)).toEqual(["/runs/7"]);
  });
});

describe("a service's odd answer becomes a {detail} the browser can show", () => {
  it.each([
    { what: "HTML 404 of a proxy", status: 404, type: "text/html", body: "<html>nope</html>", expected: 404, detail: /refused the request \(HTTP 404\)/ },
    { what: "4xx that echoes the token", status: 401, type: "application/json", body: `{"detail":"bad token ${TOKEN}"}`, expected: 401, detail: /^bad token \[redacted\]$/ },
    { what: "200 with {}", status: 200, type: "application/json", body: "{}", expected: 502, detail: /not the expected JSON/ },
    { what: "200 with HTML", status: 200, type: "text/html", body: "<html>", expected: 502, detail: /not the expected JSON/ },
    { what: "500 with a stack trace", status: 500, type: "text/plain", body: "Traceback (most recent call last)", expected: 502, detail: /failed with HTTP 500/ },
  ])("$what -> $expected", async ({ status, type, body, expected, detail }) => {
    answer = { status, type, body };
    for (const response of [
      await load.POST(post("/api/load", JSON.stringify(LOAD))),
      await runs.POST(post("/api/runs", '{"ticker":"MSFT"}')),
      await run.GET(new Request("http://dash.local/api/runs/3"), { params: Promise.resolve({ id: "3" }) }),
    ]) {
      expect(response.status).toBe(expected);
      const text = await detailOf(response);
      expect(text).toMatch(detail);
      expect(text).not.toContain("Traceback");
    }
  });

  it("keeps the service's own 4xx detail (the forms explain FastAPI's list)", async () => {
    answer = { status: 422, type: "application/json", body: '{"detail":[{"loc":["body","horizon"],"msg":"too big"}]}' };
    const response = await predict.POST(post("/api/predict", '{"ticker":"MSFT","horizon":400}'));
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ detail: [{ loc: ["body", "horizon"], msg: "too big" }] });
  });
});
