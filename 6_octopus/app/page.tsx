import { Suspense } from "react";
import { MetricsPanel } from "@/components/overview/MetricsPanel";
import { PricePanel } from "@/components/overview/PricePanel";
import { Skeleton } from "@/components/Skeleton";
import { tickerOf, type SearchParams } from "@/lib/page";

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const ticker = await tickerOf(searchParams);
  return (
    <>
      <h1>Overview</h1>
      <p className="lede">
        {ticker}: daily closes, the champion&apos;s walk-forward predictions and its forecast, with
        the live monitoring figures.
      </p>
      <Suspense key={`price-${ticker}`} fallback={<Skeleton label="Loading the price chart…" height="max(100vh, 1000px)" />}>
        <PricePanel ticker={ticker} />
      </Suspense>
      <Suspense key={`metrics-${ticker}`} fallback={<Skeleton label="Loading the metrics…" height="30rem" />}>
        <MetricsPanel ticker={ticker} />
      </Suspense>
    </>
  );
}
