"use client";

import { useState, type FormEvent } from "react";

interface Props {
  defaultDate: string;
  defaultHorizon: number;
  maxHorizon: number | undefined;
  pending: boolean;
  error: string | null;
  /** Said in the live region once a forecast is drawn. */
  done: string | null;
  onSubmit: (date: string, horizon: number) => void;
}

/** Forecast from a chosen day: the api answers for the sessions after the last close on it. */
export function ForecastForm({ defaultDate, defaultHorizon, maxHorizon, pending, error, done, onSubmit }: Props) {
  const [date, setDate] = useState(defaultDate);
  const [horizon, setHorizon] = useState(String(defaultHorizon));

  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit(date, Number.parseInt(horizon, 10));
  }

  return (
    <form className="forecast-form" onSubmit={submit} aria-busy={pending}>
      <div className="field">
        <label htmlFor="forecast-from">Forecast from</label>
        <input id="forecast-from" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="forecast-horizon">Horizon</label>
        <input
          id="forecast-horizon"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          required
          value={horizon}
          aria-describedby="horizon-hint"
          onChange={(e) => setHorizon(e.target.value)}
        />
      </div>
      <button type="submit" disabled={pending}>
        Forecast
      </button>
      <p id="horizon-hint" className="hint">
        Trading days ahead{maxHorizon ? `, 1 to ${maxHorizon} (the model's max_horizon)` : ""}.
      </p>
      {/* Always mounted: a live region added together with its text is often not announced. */}
      <p role="status" className="hint">
        {pending ? "Forecasting…" : done}
      </p>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
    </form>
  );
}
