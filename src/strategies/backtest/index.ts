// Backtests: the engine (engine.ts), the fill model (execution.ts), the figures (metrics.ts) and
// the JSON form of a result (report.ts).
export { BacktestInputError, runBacktest } from "./engine.ts";
export { type BacktestReport, toReport } from "./report.ts";
export type * from "./types.ts";
