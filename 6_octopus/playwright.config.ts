import { defineConfig } from "@playwright/test";
import chromium from "./e2e/chromium.json";

// Browser tests against the suite as `make up` starts it: run them with `make test-e2e`
// (scripts/e2e.py starts the suite in a temp folder, runs these, stops it). Debian's chromium
// only: a browser downloaded by Playwright is never used. Its path and the flags this machine's
// closed network needs are in e2e/chromium.json, also read by the dashboard benchmark.

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/playwright",
  // One suite with shared state (runs, a stopped service): one test at a time, in order.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 45_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: process.env.E2E_BASE_URL ?? "http://127.0.0.1:3000",
    browserName: "chromium",
    locale: "en-US",
    timezoneId: "UTC",
    viewport: { width: 1280, height: 800 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromium,
  },
  projects: [
    { name: "screens", testIgnore: /outage\.spec\.ts/ },
    // Stops a service, so it runs after everything else has seen the suite whole.
    { name: "outage", testMatch: /outage\.spec\.ts/, dependencies: ["screens"] },
  ],
});
