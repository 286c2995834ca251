// Line colours of the price chart, shared by the chart and its legend.
export const CHART_COLORS = {
  close: "#1d4ed8",
  lstm: "#c2410c",
  forecast: "#7e22ce",
  band: "#a855f7",
} as const;
