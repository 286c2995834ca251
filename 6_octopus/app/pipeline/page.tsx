import type { Metadata } from "next";
import { Suspense } from "react";
import { RunsPanel } from "@/components/pipeline/RunsPanel";
import { SchedulePanel } from "@/components/pipeline/SchedulePanel";
import { Skeleton } from "@/components/Skeleton";
import { tickerOf, type SearchParams } from "@/lib/page";

export const metadata: Metadata = { title: "Pipeline" };

export default async function PipelinePage({ searchParams }: { searchParams: SearchParams }) {
  const ticker = await tickerOf(searchParams);
  return (
    <>
      <h1>Pipeline</h1>
      <p className="lede">
        {ticker}: the shepherd&apos;s cycles (load, decide, fine-tune or retrain, gate, reload) and
        when the next one runs.
      </p>
      <Suspense fallback={<Skeleton label="Loading the schedule…" height="8rem" />}>
        <SchedulePanel />
      </Suspense>
      <Suspense key={`runs-${ticker}`} fallback={<Skeleton label="Loading the runs…" />}>
        <RunsPanel ticker={ticker} />
      </Suspense>
    </>
  );
}
