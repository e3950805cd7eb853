// Moving-average crossover: a fast and a slow SMA or EMA of the closes on one timeframe. When the
// fast average crosses above the slow one (golden cross) and the strategy is flat, it buys; when
// it crosses below (death cross) it sells everything it holds. Optional stop-loss and
// take-profit percentages close the position earlier (see exits.ts).
//
// Stored parameters: { kind: "ma-cross", type: "SMA" | "EMA", fast: 20, slow: 50, timeframe: "1h",
//   equityPct?: "10" | quote?: "100", stopLossPct?: "3", takeProfitPct?: "8" }
// Without a size it buys 10 % of the equity.
import { z } from "zod";
import { Decimal } from "../../lib/decimal.ts";
import { MAX_PERIOD } from "../../domain/indicators/indicator-spec.ts";
import { InputStep } from "../step.ts";
import type {
  IntentSize,
  StrategyDefinition,
  StrategyEvaluator,
  StrategyFill,
  StrategyIntent,
  StrategyStep,
} from "../types.ts";
import { positionExit } from "./exits.ts";
import { AverageTracker, type RunningAverages } from "./running-averages.ts";
import {
  choiceField,
  decimalField,
  decimalText,
  integerField,
  isLong,
  intervalField,
  kindTag,
} from "./fields.ts";

export const DEFAULT_EQUITY_PCT = new Decimal(10);
const MAX_QUOTE = new Decimal("1e15");

export const percentField = () =>
  decimalField({ min: new Decimal(0), above: true, max: new Decimal(100) });
export const quoteField = () => decimalField({ min: new Decimal(0), above: true, max: MAX_QUOTE });

export const maCrossParams = z
  .strictObject({
    kind: kindTag("ma-cross"),
    type: choiceField(["SMA", "EMA"]).default("SMA"),
    fast: integerField(1, MAX_PERIOD).default(20),
    slow: integerField(2, MAX_PERIOD).default(50),
    timeframe: intervalField("1h"),
    equityPct: percentField().optional(),
    quote: quoteField().optional(),
    stopLossPct: percentField().optional(),
    takeProfitPct: decimalField({
      min: new Decimal(0),
      above: true,
      max: new Decimal(10_000),
    }).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.fast >= p.slow)
      ctx.addIssue({
        code: "custom",
        path: ["fast"],
        message: "fast must be shorter than slow",
        params: { key: "error-strategy-ma-order", fast: p.fast, slow: p.slow },
      });
    if (p.equityPct && p.quote)
      ctx.addIssue({
        code: "custom",
        path: ["quote"],
        message: "one size only",
        params: { key: "error-strategy-size-both" },
      });
  });

export type MaCrossParams = z.output<typeof maCrossParams>;

export interface MaCrossState {
  /** the close the last entry was made at (or its fill price once told), as a decimal string */
  entryPrice: string | null;
  /** the averages carried to the next candle (see running-averages.ts); absent at first */
  averages?: RunningAverages | null;
}

/** What one entry buys: a quote amount when given, else a share of the equity. */
export function entrySize(p: {
  equityPct?: Decimal | undefined;
  quote?: Decimal | undefined;
}): IntentSize {
  if (p.quote) return { kind: "quote", value: p.quote };
  return { kind: "equity-pct", value: p.equityPct ?? DEFAULT_EQUITY_PCT };
}

/** No intents: one frozen array for the candles that decide nothing (most of them). */
const NONE: readonly StrategyIntent[] = Object.freeze([]);

/**
 * ma-cross's working state over consecutive candles: the averages in an AverageTracker, and the
 * entry price kept as the Decimal it came as (its text is made only when the state is read).
 * Decides exactly as onCandle did on its JSON state: onCandle now runs one of these.
 */
class MaCrossEvaluator implements StrategyEvaluator<MaCrossParams, MaCrossState> {
  private readonly averages: AverageTracker;
  /** the close the last entry was made at, or its fill price once told (text when persisted) */
  private entry: Decimal | string | null;
  /** the intents it answers, made once: engines read them and never change them */
  private readonly entryIntents: readonly StrategyIntent[];
  private readonly exitIntents: readonly StrategyIntent[];
  /** a stop or a target to watch (most runs have neither) */
  private readonly exits: boolean;

  constructor(
    private readonly params: MaCrossParams,
    state: MaCrossState,
  ) {
    this.averages = new AverageTracker(params).load(state.averages);
    this.entry = state.entryPrice;
    this.exits = Boolean(params.stopLossPct || params.takeProfitPct);
    this.entryIntents = [
      {
        id: "entry",
        action: "buy",
        size: entrySize(params),
        orderType: "MARKET",
        reason: "signal",
      },
    ];
    this.exitIntents = [
      { id: "exit", action: "sell", size: { kind: "all" }, orderType: "MARKET", reason: "signal" },
    ];
  }

  next(step: StrategyStep<MaCrossParams>): readonly StrategyIntent[] {
    const n = step.candleCount;
    if (n === 0) return NONE;
    const position = step.position;
    const holding = isLong(position.quantity);
    // flat again (sold by hand, or by our exit): forget the old entry
    if (!holding) this.entry = null;

    // the averages move on every candle, whatever this candle decides (from the step's float
    // closes when it has them)
    this.averages.advance(step);
    // the last candle is read only where its close is needed (an exit to check, an entry)
    const exit = this.exits
      ? positionExit(this.params, position, this.entry, step.candleAt(n - 1).close)
      : null;
    if (exit) {
      this.entry = null;
      return [exit];
    }
    const signal = this.averages.signal();
    if (signal === "golden" && !holding) {
      this.entry = step.candleAt(n - 1).close;
      return this.entryIntents;
    }
    if (signal === "death" && holding) {
      this.entry = null;
      return this.exitIntents;
    }
    return NONE;
  }

  fill(fill: StrategyFill): void {
    // the real entry price replaces the close the signal was given at
    if (fill.side === "BUY" && fill.intentId === "entry") this.entry = fill.price;
  }

  state(): MaCrossState {
    const entry = this.entry;
    return {
      entryPrice: entry === null || typeof entry === "string" ? entry : decimalText(entry),
      averages: this.averages.toState(),
    };
  }
}

export const maCross: StrategyDefinition<MaCrossParams, MaCrossState> = {
  kind: "ma-cross",
  params: maCrossParams,
  timeframe: (p) => p.timeframe,
  // the previous candle's averages too; an EMA is seeded with an SMA and needs a few periods more
  // before its start no longer shows
  lookback: (p) => (p.type === "EMA" ? 3 * p.slow : p.slow) + 1,
  initialState: () => ({ entryPrice: null, averages: null }),
  evaluator: (params, state) => new MaCrossEvaluator(params, state),

  onCandle(input) {
    const { candles, params, state } = input;
    if (candles.length === 0) return { intents: [], state };
    const evaluator = new MaCrossEvaluator(params, state);
    const intents = evaluator.next(new InputStep(input));
    return { intents: [...intents], state: evaluator.state() };
  },

  onFill(_params, state, fill) {
    // the real entry price replaces the close the signal was given at
    if (fill.side === "BUY" && fill.intentId === "entry")
      return { ...state, entryPrice: decimalText(fill.price) };
    return state;
  },
};
