// The strategy runner: every 10 s, one pass of the strategy runtime over every running instance
// (each in its own error boundary, see src/domain/strategies/strategy-runtime.ts). A pass costs
// nothing for an instance whose latest closed candle was answered already (decided from the
// clock, without asking the market), so the beat can be short: a candle is answered within
// about 10 s of its close.
import type { StrategyRuntime } from "../domain/strategies/strategy-runtime.ts";
import type { JobSpec } from "./scheduler.ts";

/** Six-field pattern (node-cron): at seconds 0, 10, 20 … of every minute. */
export const STRATEGY_RUNNER_PATTERN = "*/10 * * * * *";

export function strategyRunnerJob(
  runtime: Pick<StrategyRuntime, "runCycle">,
  pattern = STRATEGY_RUNNER_PATTERN,
): JobSpec {
  return { name: "strategy-runner", pattern, run: () => runtime.runCycle() };
}
