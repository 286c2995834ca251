import type { Metadata } from "next";
import { CoverageTable } from "@/components/data/CoverageTable";
import { LoadForm } from "@/components/data/LoadForm";
import { ServiceBanner } from "@/components/ServiceBanner";
import { getTickers } from "@/lib/clients/loadData";
import { tickerOf, type SearchParams } from "@/lib/page";

export const metadata: Metadata = { title: "Data" };

export default async function DataPage({ searchParams }: { searchParams: SearchParams }) {
  const [ticker, stored] = await Promise.all([tickerOf(searchParams), getTickers()]);
  const today = new Date().toISOString().slice(0, 10);
  return (
    <>
      <h1>Data</h1>
      <p className="lede">Load daily prices into the suite&apos;s database, and what is stored per ticker.</p>
      <section aria-labelledby="load-heading" className="panel">
        <h2 id="load-heading">Load prices</h2>
        <LoadForm defaultTicker={ticker} defaultEnd={today} />
      </section>
      <section aria-labelledby="coverage-heading" className="panel">
        <h2 id="coverage-heading">Coverage</h2>
        {stored.ok ? (
          <CoverageTable tickers={stored.data.tickers} />
        ) : stored.problem.kind === "client" ? (
          <p className="note">{stored.problem.detail}</p>
        ) : (
          <ServiceBanner problem={stored.problem} />
        )}
      </section>
    </>
  );
}
