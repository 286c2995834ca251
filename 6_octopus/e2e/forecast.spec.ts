// The overview's forecast form: pick a date and a horizon, get the table and the drawn forecast;
// once with the mouse and once by keyboard only.
import { expect, test, type Page } from "@playwright/test";
import { drawnChart, numberAttribute, openScreen } from "./support";

async function expectForecast(page: Page, horizon: number): Promise<void> {
  const table = page.getByTestId("forecast-table");
  await expect(table.locator("tbody tr")).toHaveCount(horizon);
  const chart = page.getByTestId("price-chart");
  await expect
    .poll(() => numberAttribute(chart, "data-forecast-points"), { message: "forecast drawn" })
    .toBeGreaterThan(0);
}

test("a forecast from a chosen date is listed and drawn", async ({ page }) => {
  await openScreen(page, "/", "Overview");
  await drawnChart(page);
  await page.getByLabel("Forecast from").fill("2017-06-15");
  await page.getByLabel("Horizon").fill("5");
  await page.getByRole("button", { name: "Forecast", exact: true }).click();
  await expectForecast(page, 5);
  await expect(page.getByTestId("forecast-table")).toContainText("2017-06-16");
});

/** What the focused element is: a field's label, or a button's text. */
function focusedName(): string {
  const active = document.activeElement as HTMLInputElement | null;
  if (!active) return "";
  if (active.tagName === "BUTTON") return `button ${active.textContent?.trim() ?? ""}`;
  return (active.labels?.[0]?.textContent ?? active.getAttribute("aria-label") ?? "").trim();
}

/** Tab until the focused element is the one named (at most 60 presses). */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let presses = 0; presses < 60; presses++) {
    if ((await page.evaluate(focusedName)) === name) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${name}`);
}

test("the forecast form works by keyboard only", async ({ page }) => {
  await openScreen(page, "/", "Overview");
  await drawnChart(page);
  await tabTo(page, "Forecast from");
  const isDateInput = await page.evaluate(() => (document.activeElement as HTMLInputElement).type === "date");
  // A native date input takes its segments (en-US: month, day, year) as typed digits.
  await page.keyboard.type(isDateInput ? "06152017" : "2017-06-15");
  await tabTo(page, "Horizon");
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type("3");
  await tabTo(page, "button Forecast");
  await page.keyboard.press("Enter");
  await expectForecast(page, 3);
  await expect(page.getByTestId("forecast-table")).toContainText("2017-06-16");
});
