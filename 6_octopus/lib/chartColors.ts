// Line colours of the price chart, shared by the chart and its legend.
export const CHART_COLORS = {
  close: "#1d4ed8",
  lstm: "#c2410c",
  forecast: "#7e22ce",
  band: "#a855f7",
} as const;

// Lines of the monitoring charts under the metric cards (each also named in words in its legend).
export const MONITORING_COLORS = {
  model: "#c2410c",
  naive: "#4b5563",
  driftForecast: "#0f766e",
  driftValue: "#1d4ed8",
  threshold: "#b91c1c",
  flagged: "#b91c1c",
} as const;
