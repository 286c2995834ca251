import { Suspense } from "react";
import { ServiceBanner } from "@/components/ServiceBanner";
import { Skeleton } from "@/components/Skeleton";
import { getMetrics, getMetricsHistory } from "@/lib/clients/metrics";
import { dateTime } from "@/lib/format";
import { accuracyCards, driftCard, latencyCard } from "@/lib/metricCards";
import { AccuracyCardView } from "./AccuracyCardView";
import { DriftCardView } from "./DriftCardView";
import { LatencyCardView } from "./LatencyCardView";
import { MonitoringPanel } from "./MonitoringPanel";

/** 5_metrics' report: accuracy beside the baselines, data drift and inference latency, and
 * under the cards the same figures over time (their own Suspense boundary: the cards never
 * wait for the history). */
export async function MetricsPanel({ ticker }: { ticker: string }) {
  // Asked at the same time as the report, so a slow 5_metrics costs one deadline, not two in a
  // row; not read when the report already failed (its banner says so once).
  const history = getMetricsHistory(ticker);
  void history.catch(() => undefined);
  const report = await getMetrics(ticker);
  return (
    <section aria-labelledby="metrics-heading" className="panel">
      <h2 id="metrics-heading">Metrics</h2>
      {report.ok ? (
        <>
          <p className="hint">
            Model v{report.data.model_version ?? "–"}, horizon {report.data.horizon}, last{" "}
            {report.data.window} trading days; generated {dateTime(report.data.generated_at)}.
          </p>
          <div className="cards">
            {accuracyCards(report.data).map((card) => (
              <AccuracyCardView key={card.id} card={card} />
            ))}
            <DriftCardView card={driftCard(report.data)} />
            <LatencyCardView card={latencyCard(report.data)} />
          </div>
          <Suspense fallback={<Skeleton label="Loading the monitoring charts…" height="24rem" />}>
            <MonitoringPanel ticker={ticker} history={history} />
          </Suspense>
        </>
      ) : report.problem.kind === "client" ? (
        <p className="note">
          No metrics for {ticker}: {report.problem.detail ?? `HTTP ${report.problem.status}`}
        </p>
      ) : (
        <ServiceBanner problem={report.problem} />
      )}
    </section>
  );
}
