// Every strategy kind, registered in one place. Each kind lives in its own file under kinds/.
import { dca } from "./kinds/dca.ts";
import { grid } from "./kinds/grid.ts";
import { maCross } from "./kinds/ma-cross.ts";
import { rules } from "./kinds/rules.ts";
import type { StrategyDefinition, StrategyKind } from "./types.ts";

// The definitions differ in their params and state types; the registry only hands them out by
// kind, and callers validate params through the definition's own schema before using them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- heterogeneous P/S per kind
export type AnyStrategyDefinition = StrategyDefinition<any, any>;

export const STRATEGY_DEFINITIONS: Partial<Record<StrategyKind, AnyStrategyDefinition>> = {
  dca,
  grid,
  "ma-cross": maCross,
  rules,
};

/** The definition of a kind, or undefined for a kind this build does not have. */
export function strategyDefinition(kind: string): AnyStrategyDefinition | undefined {
  return Object.hasOwn(STRATEGY_DEFINITIONS, kind)
    ? STRATEGY_DEFINITIONS[kind as StrategyKind]
    : undefined;
}
