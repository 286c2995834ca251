// Shared by the browser specs: the screens, the suite's URLs, and the checks several specs make.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page } from "@playwright/test";

export const TICKER = "MSFT";
export const LOAD_DATA_URL = "http://127.0.0.1:8001";
export const SHEPHERD_URL = "http://127.0.0.1:8004";
export const METRICS_PORT = 8003;

export const SCREENS = [
  { path: "/", heading: "Overview", name: "overview" },
  { path: "/model", heading: "Model", name: "model" },
  { path: "/pipeline", heading: "Pipeline", name: "pipeline" },
  { path: "/data", heading: "Data", name: "data" },
] as const;

export async function openScreen(page: Page, path: string, heading: string): Promise<void> {
  await page.goto(`${path}?ticker=${TICKER}`);
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
}

/** The price chart once it has drawn: its data-points, after data-draw-ms is set. */
export async function drawnChart(page: Page): Promise<Locator> {
  const chart = page.getByTestId("price-chart");
  await expect(chart).toHaveAttribute("data-draw-ms", /^\d/);
  return chart;
}

export async function numberAttribute(locator: Locator, name: string): Promise<number> {
  return Number(await locator.getAttribute(name));
}

/** Closes the loader holds for a ticker (GET /tickers), i.e. the whole history. */
export async function storedRows(ticker: string): Promise<number> {
  const response = await fetch(`${LOAD_DATA_URL}/tickers`);
  const body = (await response.json()) as { tickers: { ticker: string; rows: number }[] };
  return body.tickers.find((entry) => entry.ticker === ticker)?.rows ?? 0;
}

/** axe-core's WCAG 2.1 A/AA rules; only serious and critical violations are returned. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target).join(", ")}`);
}

/** Every file under a folder, recursively. */
export function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(folder, entry.name)) : [join(folder, entry.name)],
  );
}

/** The pid listening on 127.0.0.1:port, from /proc (Linux), or null. */
export function pidListeningOn(port: number): number | null {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex; state 0A is LISTEN; field 9 is the socket's inode
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === "0A" && fields[9]) {
        inodes.add(fields[9]);
      }
    }
  }
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let descriptors: string[];
    try {
      descriptors = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const descriptor of descriptors) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${descriptor}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return Number(pid);
      } catch {
        // the descriptor closed while we looked
      }
    }
  }
  return null;
}

