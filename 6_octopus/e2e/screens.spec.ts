// Every screen opens with its heading and navigation, passes axe-core without a serious or
// critical violation and is photographed, at desktop and at phone width.
import { mkdirSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { SCREENS, TICKER, drawnChart, numberAttribute, openScreen, seriousViolations, storedRows } from "./support";

const SCREENSHOTS = "test-results/screenshots";
const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 375, height: 812 },
] as const;

test("the overview draws MSFT's whole history", async ({ page }) => {
  await openScreen(page, "/", "Overview");
  const chart = await drawnChart(page);
  const rows = await storedRows(TICKER);
  expect(rows, "the bundled sample has 7,983 sessions").toBeGreaterThan(7900);
  expect(await numberAttribute(chart, "data-points")).toBeGreaterThanOrEqual(rows);
  await expect(page.getByLabel("Ticker")).toHaveValue(TICKER);
});

for (const screen of SCREENS) {
  test(`${screen.heading}: navigation, accessibility and screenshots`, async ({ page }) => {
    await openScreen(page, screen.path, screen.heading);
    const nav = page.getByRole("navigation");
    for (const other of SCREENS) {
      await expect(nav.getByRole("link", { name: other.heading, exact: true })).toBeVisible();
    }

    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      await openScreen(page, screen.path, screen.heading);
      if (screen.path === "/") {
        await drawnChart(page);
        // The small monitoring charts draw once scrolled near: draw them for axe and the picture.
        for (const chart of ["monitoring-quality-chart", "monitoring-drift-chart"]) {
          const locator = page.getByTestId(chart);
          await locator.scrollIntoViewIfNeeded();
          await expect(locator).toHaveAttribute("data-points", /^\d+$/);
        }
        await page.evaluate(() => window.scrollTo(0, 0));
      }
      await page.waitForLoadState("networkidle");
      expect(await seriousViolations(page), `serious or critical axe violations (${viewport.name})`).toEqual([]);
      await page.screenshot({
        path: `${SCREENSHOTS}/${screen.name}-${viewport.name}.png`,
        fullPage: true,
        animations: "disabled",
      });
    }
  });
}

test("navigation links lead to their screens and keep the ticker", async ({ page }) => {
  await openScreen(page, "/", "Overview");
  for (const screen of SCREENS.slice(1)) {
    await page.getByRole("navigation").getByRole("link", { name: screen.heading, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: screen.heading })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`${screen.path}(\\?|$)`));
  }
});
