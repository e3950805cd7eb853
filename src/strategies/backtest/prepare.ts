// From what a user stored to what the engine runs: the kind's definition and its validated
// parameters, the instrument's trading rules, the paper venue's costs. Shared by the CLI and the
// bot's backtest service, so both run a stored strategy exactly the same way.
import type { ZodError } from "zod";
import {
  resolvePaperOptions,
  type PaperBrokerSettings,
} from "../../brokers/paper/paper-options.ts";
import { dec } from "../../lib/decimal.ts";
import type { InstrumentSpec } from "../../market/types.ts";
import { type AnyStrategyDefinition, strategyDefinition } from "../registry.ts";
import type { BacktestCosts, BacktestInstrument } from "./types.ts";

export class StrategyParamsError extends Error {
  constructor(
    readonly code: "not-an-object" | "unknown-kind" | "invalid-params",
    readonly detail: string,
  ) {
    super(detail);
  }
}

export interface ResolvedStrategy {
  definition: AnyStrategyDefinition;
  params: unknown;
}

/** "fast: must be an integer; slow: required" — the schema's own words, with field paths. */
export function describeIssues(error: ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}

/** `{ "kind": "ma-cross", ...params }` → the kind's definition and its parsed parameters. */
export function resolveStrategy(stored: unknown): ResolvedStrategy {
  if (typeof stored !== "object" || stored === null || Array.isArray(stored))
    throw new StrategyParamsError("not-an-object", "strategy parameters must be a JSON object");
  const { kind, ...rest } = stored as Record<string, unknown>;
  const definition = typeof kind === "string" ? strategyDefinition(kind) : undefined;
  if (!definition) throw new StrategyParamsError("unknown-kind", String(kind ?? ""));
  const parsed = definition.params.safeParse(rest);
  if (!parsed.success)
    throw new StrategyParamsError("invalid-params", describeIssues(parsed.error));
  return { definition, params: parsed.data };
}

export function backtestCosts(settings: PaperBrokerSettings = {}): BacktestCosts {
  const o = resolvePaperOptions(settings);
  return {
    takerFeeBps: o.takerFeeBps,
    makerFeeBps: o.makerFeeBps,
    slippageBps: o.slippageBps,
    feeDecimals: o.feeDecimals,
  };
}

export function backtestInstrument(spec: InstrumentSpec): BacktestInstrument {
  return {
    symbol: spec.symbol,
    tickSize: dec(spec.tickSize),
    lotSize: dec(spec.lotSize),
    minQty: dec(spec.minQty),
  };
}
