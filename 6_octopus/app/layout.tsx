import type { Metadata, Viewport } from "next";
import { Suspense } from "react";
import { NavLinks, NavList } from "@/components/NavLinks";
import { TickerSelect } from "@/components/TickerSelect";
import { getTickers } from "@/lib/clients/loadData";
import { DEFAULT_TICKER, orderTickers } from "@/lib/ticker";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "octopus: stock forecast suite", template: "%s · octopus" },
  description: "Prices, forecasts, model evaluation, pipeline runs and data of the forecasting suite",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const stored = await getTickers();
  const tickers = stored.ok ? orderTickers(stored.data.tickers.map((t) => t.ticker)) : [];
  const fallback = tickers[0] ?? DEFAULT_TICKER;
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="topbar">
          <span className="brand">octopus</span>
          <nav aria-label="Main">
            <Suspense fallback={<NavList />}>
              <NavLinks />
            </Suspense>
          </nav>
          <Suspense fallback={null}>
            <TickerSelect tickers={tickers.length ? tickers : [fallback]} fallback={fallback} />
          </Suspense>
        </header>
        <main id="main">{children}</main>
        <footer className="footer">
          stock-forecast-suite · every figure beside the naive forecast on the same days
        </footer>
      </body>
    </html>
  );
}
