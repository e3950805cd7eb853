// Short column headings for screener tables ("RSI14", "Δ24 %", "↓H30d %"): the indicator
// vocabulary's own abbreviations, the same in every language, narrow enough for a phone's
// monospace table.
import type { IndicatorSpec } from "../indicators/indicator-spec.ts";

export function columnLabel(spec: IndicatorSpec): string {
  switch (spec.kind) {
    case "PRICE":
      return "PRICE";
    case "RSI":
    case "SMA":
    case "EMA":
    case "ATR":
      return `${spec.kind}${spec.period}`;
    case "MACD": {
      const base =
        spec.fast === 12 && spec.slow === 26 && spec.signal === 9
          ? "MACD"
          : `MACD${spec.fast}/${spec.slow}/${spec.signal}`;
      return spec.output === "signal"
        ? `${base}.sig`
        : spec.output === "histogram"
          ? `${base}.hist`
          : base;
    }
    case "BBANDS": {
      const base = spec.stdDev === 2 ? `BB${spec.period}` : `BB${spec.period}/${spec.stdDev}`;
      switch (spec.output) {
        case "upper":
          return `${base}.up`;
        case "lower":
          return `${base}.low`;
        case "pctB":
          return `${base} %B`;
        default:
          return base;
      }
    }
    case "VOLUME_SPIKE":
      return `VOL×${spec.period}`;
    case "VOLUME":
      return spec.period === 1 ? "VOL" : `VOL${spec.period}`;
    case "PRICE_CHANGE_PCT":
      return `Δ${spec.period} %`;
    case "DIST_FROM_HIGH_PCT":
      return `↓H${spec.days}d %`;
    case "DIST_FROM_LOW_PCT":
      return `↑L${spec.days}d %`;
  }
}
