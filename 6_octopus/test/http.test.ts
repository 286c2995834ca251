import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callService, has } from "@/lib/http";

// A real HTTP server playing a service: each path answers one way.
let server: Server;
let base: string;
const seen: Record<string, string | undefined> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    seen[req.url ?? ""] = req.headers.authorization;
    const send = (status: number, body: string) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(body);
    };
    if (req.url === "/ok") return send(200, '{"value":1}');
    if (req.url === "/accepted") return send(202, '{"run_id":7}');
    if (req.url === "/missing") return send(404, '{"detail":"no walk-forward series"}');
    if (req.url === "/invalid") return send(422, '{"detail":[{"loc":["body","horizon"],"msg":"too big"}]}');
    if (req.url === "/broken") return send(500, "Internal Server Error");
    if (req.url === "/unavailable") return send(503, '{"detail":"database down"}');
    if (req.url === "/garbage") return send(200, "<html>");
    if (req.url === "/rows") return send(200, '{"tickers":[{"ticker":"MSFT"},{"ticker":"AAPL"}]}');
    if (req.url === "/bad-rows") return send(200, '{"tickers":[1,null,{"ticker":null}]}');
    if (req.url === "/slow") return void setTimeout(() => send(200, "{}"), 2_000);
    send(404, '{"detail":"Not Found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.METRICS_URL = `${base}/`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("callService", () => {
  it.each([
    { path: "/ok", ok: true, status: 200 },
    { path: "/accepted", ok: true, status: 202 },
    { path: "/missing", ok: false, kind: "client", status: 404, detail: "no walk-forward series" },
    { path: "/invalid", ok: false, kind: "client", status: 422, detail: "horizon: too big" },
    { path: "/broken", ok: false, kind: "server", status: 500 },
    { path: "/unavailable", ok: false, kind: "server", status: 503, detail: "database down" },
    { path: "/garbage", ok: false, kind: "invalid", status: 200 },
  ])("$path", async ({ path, ok, kind, status, detail }) => {
    const result = await callService("metrics", path);
    expect(result.ok).toBe(ok);
    if (result.ok) expect(result.status).toBe(status);
    else expect(result.problem).toMatchObject({ service: "metrics", url: base, kind, status, ...(detail ? { detail } : {}) });
  });

  it("gives up on a slow service at the deadline", async () => {
    const result = await callService("metrics", "/slow", { timeoutMs: 200 });
    expect(result).toMatchObject({ ok: false, problem: { kind: "timeout" } });
  });

  it("names a service that is not listening", async () => {
    process.env.SHEPHERD_URL = "http://127.0.0.1:9"; // discard port: nothing listens
    const result = await callService("shepherd", "/runs");
    expect(result).toMatchObject({ ok: false, problem: { kind: "unreachable", service: "shepherd", url: "http://127.0.0.1:9" } });
  });

  it.each([
    { token: "s3cret", admin: true, sent: "Bearer s3cret" },
    { token: "s3cret", admin: false, sent: undefined },
    { token: "", admin: true, sent: undefined },
  ])("token $token, admin $admin -> $sent", async ({ token, admin, sent }) => {
    process.env.ADMIN_TOKEN = token;
    const path = `/ok?admin=${admin}&token=${token}`;
    await callService("metrics", path, { admin });
    expect(seen[path]).toBe(sent);
    delete process.env.ADMIN_TOKEN;
  });
});

describe("callService shape checks", () => {
  it.each([
    { path: "/ok", shape: has.number("value"), ok: true },
    { path: "/ok", shape: has.list("value"), ok: false },
    { path: "/ok", shape: has.object("value"), ok: false },
    { path: "/accepted", shape: undefined, ok: true },
    { path: "/accepted", shape: has.string("run_id"), ok: false },
    { path: "/rows", shape: has.rows("tickers", { ticker: "string" }), ok: true },
    { path: "/rows", shape: has.rows("tickers"), ok: true },
    { path: "/rows", shape: has.rows("tickers", { ticker: "number" }), ok: false },
    // A list of the wrong things crashed every page's layout (`t.ticker.toUpperCase()`).
    { path: "/bad-rows", shape: has.rows("tickers", { ticker: "string" }), ok: false },
    { path: "/bad-rows", shape: has.rows("tickers"), ok: false },
  ])("$path", async ({ path, shape, ok }) => {
    const result = await callService("metrics", path, { shape });
    expect(result.ok).toBe(ok);
    if (!result.ok) expect(result.problem).toMatchObject({ kind: "invalid", detail: `unexpected body from ${path}` });
  });
});
