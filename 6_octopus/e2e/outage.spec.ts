// A service that stops answering is named in the dashboard's banner. Under honcho a process
// that exits stops the whole suite, so 5_metrics is paused (SIGSTOP: it still accepts
// connections but never answers, the harder case) and resumed afterwards.
import { expect, test } from "@playwright/test";
import { METRICS_PORT, openScreen, pidListeningOn } from "./support";

test("a paused 5_metrics is named in the service banner, and the banner goes once it is back", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const pid = pidListeningOn(METRICS_PORT);
  expect(pid, `a process listening on ${METRICS_PORT}`).not.toBeNull();
  const banner = page.getByTestId("service-banner").filter({ hasText: "5_metrics" });
  await openScreen(page, "/", "Overview");
  await expect(banner).toHaveCount(0);
  process.kill(pid!, "SIGSTOP");
  try {
    await page.reload();
    await expect(banner).toBeVisible({ timeout: 30_000 });
    await expect(banner).toHaveAttribute("role", "alert");
    await expect(banner).toContainText("5_metrics");
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  } finally {
    process.kill(pid!, "SIGCONT");
  }
  await expect(async () => {
    await page.reload();
    await expect(banner).toHaveCount(0, { timeout: 5_000 });
  }).toPass({ timeout: 30_000 });
});
