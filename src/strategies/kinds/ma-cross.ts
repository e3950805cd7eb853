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
import type { IntentSize, StrategyDefinition, StrategyIntent } from "../types.ts";
import { positionExit } from "./exits.ts";
import { type RunningAverages, advanceAverages, crossSignal } from "./running-averages.ts";
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
const NONE: StrategyIntent[] = Object.freeze([]) as unknown as StrategyIntent[];

export const maCross: StrategyDefinition<MaCrossParams, MaCrossState> = {
  kind: "ma-cross",
  params: maCrossParams,
  timeframe: (p) => p.timeframe,
  // the previous candle's averages too; an EMA is seeded with an SMA and needs a few periods more
  // before its start no longer shows
  lookback: (p) => (p.type === "EMA" ? 3 * p.slow : p.slow) + 1,
  initialState: () => ({ entryPrice: null, averages: null }),

  onCandle(input) {
    const { candles, position, params, state } = input;
    const last = candles.at(-1);
    if (!last) return { intents: NONE, state };
    const holding = isLong(position.quantity);
    // flat again (sold by hand, or by our exit): forget the old entry
    const remembered = holding ? state.entryPrice : null;

    // the averages move on every candle, whatever this candle decides (from the input's float
    // closes when it has them)
    const averages = advanceAverages(input, params, state.averages);
    const exit = positionExit(params, position, remembered, last.close);
    if (exit) return { intents: [exit], state: { entryPrice: null, averages } };
    const signal = crossSignal(averages, params);
    if (signal === "golden" && !holding)
      return {
        intents: [
          {
            id: "entry",
            action: "buy",
            size: entrySize(params),
            orderType: "MARKET",
            reason: "signal",
          },
        ],
        state: { entryPrice: decimalText(last.close), averages },
      };
    if (signal === "death" && holding)
      return {
        intents: [
          {
            id: "exit",
            action: "sell",
            size: { kind: "all" },
            orderType: "MARKET",
            reason: "signal",
          },
        ],
        state: { entryPrice: null, averages },
      };
    return { intents: NONE, state: { entryPrice: remembered, averages } };
  },

  onFill(_params, state, fill) {
    // the real entry price replaces the close the signal was given at
    if (fill.side === "BUY" && fill.intentId === "entry")
      return { ...state, entryPrice: decimalText(fill.price) };
    return state;
  },
};
