// From what a user stored to what the engine runs: the kind's definition and its validated
// parameters, the instrument's trading rules, the paper venue's costs. Shared by the CLI and the
// bot's backtest service, so both run a stored strategy exactly the same way.
import {
  resolvePaperOptions,
  type PaperBrokerSettings,
} from "../../brokers/paper/paper-options.ts";
import { dec } from "../../lib/decimal.ts";
import type { InstrumentSpec } from "../../market/types.ts";
import { parseStoredParams } from "../params.ts";
import type { BacktestCosts, BacktestInstrument } from "./types.ts";

/**
 * `{ "kind": "ma-cross", ...params }` → the kind's definition and its validated parameters; a
 * ValidationError naming the parameter (or listing the kinds) otherwise. The kinds' own reader.
 */
export const resolveStrategy = parseStoredParams;

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
