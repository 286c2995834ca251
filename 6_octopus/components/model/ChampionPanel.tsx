import { ServiceBanner } from "@/components/ServiceBanner";
import { getModel } from "@/lib/clients/estimator";
import { count, dateTime, percent } from "@/lib/format";
import { bandRows, evaluationRows } from "@/lib/evaluation";
import { BandTable } from "./BandTable";
import { EvaluationTable } from "./EvaluationTable";

/** The served model: what it is, what it learnt from, and how it did on its holdout. */
export async function ChampionPanel({ ticker }: { ticker: string }) {
  const model = await getModel(ticker);
  if (!model.ok) {
    return (
      <section aria-labelledby="champion-heading" className="panel">
        <h2 id="champion-heading">Champion</h2>
        {model.problem.kind === "client" || model.problem.status === 503 ? (
          <p className="note">
            No model served for {ticker}: {model.problem.detail ?? `HTTP ${model.problem.status}`}
          </p>
        ) : (
          <ServiceBanner problem={model.problem} />
        )}
      </section>
    );
  }
  const m = model.data;
  const metrics = m.metrics;
  const facts: [string, string][] = [
    ["version", `${m.name} v${m.version}${m.alias ? ` (${m.alias})` : ""}`],
    ["status", m.status ?? "–"],
    ["trained at", dateTime(m.trained_at)],
    ["data through (train_end)", m.train_end ?? "–"],
    ["training data from", m.train_start ?? "–"],
    ["evaluated on", metrics?.eval_start ? `${metrics.eval_start}..${metrics.eval_end} (${count(metrics.n_eval_days)} days)` : "–"],
    ["input length", `${m.input_length} closes`],
    ["max horizon", `${m.max_horizon} trading days`],
    ["band", m.interval ? `${percent(m.interval, 0)} nominal` : "–"],
    ["loaded at", dateTime(m.loaded_at)],
  ];
  return (
    <section aria-labelledby="champion-heading" className="panel">
      <h2 id="champion-heading">Champion</h2>
      {m.serving_reason ? (
        <p className="note">
          Serving v{m.version}, not the registry champion v{m.champion_version ?? "?"}: {m.serving_reason}
        </p>
      ) : null}
      <dl className="facts">
        {facts.map(([label, text]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{text}</dd>
          </div>
        ))}
      </dl>
      <EvaluationTable rows={evaluationRows(metrics)} />
      <BandTable rows={bandRows(metrics)} />
    </section>
  );
}
