import type { Metadata } from "next";
import { Suspense } from "react";
import { ChampionPanel } from "@/components/model/ChampionPanel";
import { VersionsPanel } from "@/components/model/VersionsPanel";
import { Skeleton } from "@/components/Skeleton";
import { tickerOf, type SearchParams } from "@/lib/page";

export const metadata: Metadata = { title: "Model" };

export default async function ModelPage({ searchParams }: { searchParams: SearchParams }) {
  const ticker = await tickerOf(searchParams);
  return (
    <>
      <h1>Model</h1>
      <p className="lede">
        {ticker}: the champion being served, its walk-forward evaluation beside the naive and drift
        forecasts, and the gate&apos;s decision on recent versions.
      </p>
      <Suspense key={`champion-${ticker}`} fallback={<Skeleton label="Loading the champion…" height="max(100vh, 700px)" />}>
        <ChampionPanel ticker={ticker} />
      </Suspense>
      <Suspense key={`versions-${ticker}`} fallback={<Skeleton label="Loading the versions…" />}>
        <VersionsPanel ticker={ticker} />
      </Suspense>
    </>
  );
}
