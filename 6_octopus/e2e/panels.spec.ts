// Monitoring cards, loading a range on /data, and a pipeline run started from the dashboard.
import { expect, test } from "@playwright/test";
import { SHEPHERD_URL, TICKER, openScreen } from "./support";

const CARDS = ["mse", "rmse", "mae", "mape", "drift", "latency"] as const;

test("every metric card shows a figure or says why it has none", async ({ page }) => {
  await openScreen(page, "/", "Overview");
  for (const card of CARDS) {
    const locator = page.getByTestId(`metric-card-${card}`);
    await expect(locator).toBeVisible();
    // Either a figure, or the "no data yet, because ..." text (e.g. no forecast has matured).
    await expect(locator, `metric-card-${card}`).toContainText(/no data yet|\d/i);
  }
});

test("the monitoring charts draw their days or say why there are none", async ({ page }) => {
  await openScreen(page, "/", "Overview");
  for (const chart of ["monitoring-quality-chart", "monitoring-drift-chart"]) {
    const locator = page.getByTestId(chart);
    await locator.scrollIntoViewIfNeeded(); // drawn only once near the screen
    // A drawn chart counts its points; an empty one says why in words and counts 0.
    await expect(locator).toHaveAttribute("data-points", /^\d+$/);
    const points = Number(await locator.getAttribute("data-points"));
    if (points === 0) await expect(locator).not.toBeEmpty();
  }
  // The drift series exists as soon as a champion does: MSFT's is drawn.
  await expect(page.getByTestId("monitoring-drift-chart")).not.toHaveAttribute("data-points", "0");
});

test("loading a range on /data reports what was loaded", async ({ page }) => {
  await openScreen(page, "/data", "Data");
  const form = page.getByRole("main");
  await form.getByRole("textbox", { name: "Ticker" }).fill(TICKER);
  await form.getByLabel("Start date").fill("2017-01-03");
  await form.getByLabel("End date").fill("2017-11-10");
  await form.getByRole("button", { name: "Load", exact: true }).click();
  const result = page.getByTestId("load-result");
  await expect(result).toContainText(`Loaded ${TICKER} 2017-01-03..2017-11-10`);
  await expect(result).toContainText("fetched");
  await expect(result).toContainText("sample"); // the source, as the e2e suite loads
});

test("Run now starts a pipeline run that appears in the runs table", async ({ page, request }) => {
  const before = await request.get(`${SHEPHERD_URL}/runs?ticker=${TICKER}&limit=1`);
  const previous = ((await before.json()) as { runs?: { id: number }[] }).runs?.[0]?.id ?? 0;
  await openScreen(page, "/pipeline", "Pipeline");
  await page.getByRole("button", { name: "Run now" }).click();
  await expect
    .poll(
      async () => {
        const after = await request.get(`${SHEPHERD_URL}/runs?ticker=${TICKER}&limit=1`);
        return ((await after.json()) as { runs?: { id: number }[] }).runs?.[0]?.id ?? 0;
      },
      { message: "the shepherd recorded a new run" },
    )
    .toBeGreaterThan(previous);
  const runs = await request.get(`${SHEPHERD_URL}/runs?ticker=${TICKER}&limit=1`);
  const newest = ((await runs.json()) as { runs: { id: number }[] }).runs[0]!.id;
  // The page refreshes itself after starting the run: no reload.
  const row = page.getByTestId("runs-table").locator(`tr[data-run-id="${newest}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText(`#${newest}`);
  await expect(row).toContainText("manual");
});
