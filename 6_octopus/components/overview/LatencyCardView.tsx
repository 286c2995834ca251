import type { LatencyCard } from "@/lib/metricCards";

export function LatencyCardView({ card }: { card: LatencyCard }) {
  return (
    <article className="card" data-testid="metric-card-latency" data-has-data={card.hasData}>
      <h3>Inference latency</h3>
      <dl className="card-lines card-lines-big">
        <div>
          <dt>mean</dt>
          <dd>{card.mean}</dd>
        </div>
        <div>
          <dt>p95</dt>
          <dd>{card.p95}</dd>
        </div>
        {card.lines.map((line) => (
          <div key={line.label}>
            <dt>{line.label}</dt>
            <dd>{line.value}</dd>
          </div>
        ))}
      </dl>
      {card.note ? <p className="card-note">{card.note}</p> : null}
    </article>
  );
}
