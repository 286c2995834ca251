import type { DriftCard } from "@/lib/metricCards";

const MARK = { drift: "⚠", stable: "✓", unknown: "?" } as const;

export function DriftCardView({ card }: { card: DriftCard }) {
  return (
    <article className="card card-wide" data-testid="metric-card-drift" data-status={card.status}>
      <h3>Data drift</h3>
      <p className={`verdict verdict-${card.status}`}>
        <span aria-hidden="true">{MARK[card.status]}</span> {card.verdict}
      </p>
      <dl className="card-lines">
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
