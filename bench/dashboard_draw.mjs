// Draw time of the overview's price chart (data-draw-ms: from the data's arrival to setData done)
// over several loads, and the time from navigation to the chart drawn, in Debian's chromium
// through Playwright; prints one JSON line.
// Run by bench/bench_dashboard.py: node bench/dashboard_draw.mjs URL LOADS
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const octopus = fileURLToPath(new URL("../6_octopus/package.json", import.meta.url));
const { chromium } = createRequire(octopus)("@playwright/test");

const [url, loads = "7"] = process.argv.slice(2);
// The browser and flags the browser tests use (6_octopus/e2e/chromium.json).
const launchOptions = JSON.parse(
  readFileSync(fileURLToPath(new URL("../6_octopus/e2e/chromium.json", import.meta.url)), "utf8"),
);
const browser = await chromium.launch(launchOptions);
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const samples = [];
try {
  for (let load = 0; load <= Number(loads); load++) {
    const started = performance.now();
    await page.goto(url);
    const chart = page.getByTestId("price-chart");
    await chart.and(page.locator("[data-draw-ms]")).waitFor({ timeout: 30_000 });
    const pageMs = performance.now() - started; // navigation to the chart drawn, as a user waits
    const drawMs = Number(await chart.getAttribute("data-draw-ms"));
    const points = Number(await chart.getAttribute("data-points"));
    if (load > 0) samples.push({ drawMs, pageMs, points }); // the first load warms the caches
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ samples }));
