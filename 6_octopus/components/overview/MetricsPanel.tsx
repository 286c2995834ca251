import { ServiceBanner } from "@/components/ServiceBanner";
import { getMetrics } from "@/lib/clients/metrics";
import { dateTime } from "@/lib/format";
import { accuracyCards, driftCard, latencyCard } from "@/lib/metricCards";
import { AccuracyCardView } from "./AccuracyCardView";
import { DriftCardView } from "./DriftCardView";
import { LatencyCardView } from "./LatencyCardView";

/** 5_metrics' report: accuracy beside the baselines, data drift and inference latency. */
export async function MetricsPanel({ ticker }: { ticker: string }) {
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
