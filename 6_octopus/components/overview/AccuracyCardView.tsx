import type { AccuracyCard } from "@/lib/metricCards";

export function AccuracyCardView({ card }: { card: AccuracyCard }) {
  return (
    <article className="card" data-testid={`metric-card-${card.id}`} data-source={card.source}>
      <h3>{card.title}</h3>
      <p className="card-value">{card.value}</p>
      <p className={`card-source source-${card.source}`}>{card.sourceLabel}</p>
      <dl className="card-lines">
        {card.baselines.map((b) => (
          <div key={b.label}>
            <dt>{b.label}</dt>
            <dd>{b.value}</dd>
          </div>
        ))}
        <div>
          <dt>
            <abbr title="MAE divided by the naive forecast's MAE on the same days">rel_mae</abbr>
          </dt>
          <dd>{card.relMae}</dd>
        </div>
      </dl>
      {card.note ? <p className="card-note">{card.note}</p> : null}
    </article>
  );
}
