// The ADMIN_TOKEN the e2e run set (random per run) stays on the server: not in the built client
// bundle, not in any page's HTML.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { SCREENS, filesUnder } from "./support";

const token = process.env.E2E_ADMIN_TOKEN ?? "";

test.skip(!token, "E2E_ADMIN_TOKEN is set by `make test-e2e` (scripts/e2e.py)");

test("the client bundle does not contain the admin token", () => {
  const files = filesUnder(".next/static");
  expect(files.length).toBeGreaterThan(0);
  const leaking = files.filter((file) => readFileSync(file).includes(token));
  expect(leaking).toEqual([]);
});

test("no page's HTML contains the admin token", async ({ request }) => {
  for (const screen of SCREENS) {
    const response = await request.get(`${screen.path}?ticker=MSFT`);
    expect(response.ok()).toBe(true);
    expect((await response.text()).includes(token), screen.path).toBe(false);
  }
});
