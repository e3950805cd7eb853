// Grid trading: N price levels between a lower and an upper price, spaced evenly (arithmetic) or
// by a constant ratio (geometric). When a candle's close crosses a level downward (the previous
// close above it, this close at or below it) and the level holds nothing, it buys `quote` worth
// there; a level that holds a quantity sells it once the close reaches the next level up. The
// state knows what each level holds, from the fills it is told about (onFill).
//
// Stored parameters: { kind: "grid", lower: "100", upper: "130", levels: 4,
//   spacing: "ARITHMETIC" | "GEOMETRIC", quote: "50", timeframe: "1h" }
import { z } from "zod";
import { Decimal } from "../../lib/decimal.ts";
import type { StrategyDefinition, StrategyIntent } from "../types.ts";
import {
  choiceField,
  decimalField,
  decimalOf,
  decimalText,
  integerField,
  intervalField,
  kindTag,
} from "./fields.ts";
import { quoteField } from "./ma-cross.ts";

export const MAX_GRID_LEVELS = 100;
const priceField = () =>
  decimalField({ min: new Decimal(0), above: true, max: new Decimal("1e9") });

export const gridParams = z
  .strictObject({
    kind: kindTag("grid"),
    lower: priceField(),
    upper: priceField(),
    levels: integerField(2, MAX_GRID_LEVELS).default(10),
    spacing: choiceField(["ARITHMETIC", "GEOMETRIC"]).default("ARITHMETIC"),
    quote: quoteField(),
    timeframe: intervalField("1h"),
  })
  .superRefine((p, ctx) => {
    if (!p.upper.gt(p.lower))
      ctx.addIssue({
        code: "custom",
        path: ["upper"],
        message: "upper must be above lower",
        params: {
          key: "error-strategy-grid-range",
          lower: p.lower.toFixed(),
          upper: p.upper.toFixed(),
        },
      });
  });

export type GridParams = z.output<typeof gridParams>;

export interface GridState {
  /** the close the last candle was seen at, to tell which levels the next close crossed */
  lastClose: string | null;
  /** level index → base quantity bought there and not sold yet (decimal strings) */
  holdings: Record<string, string>;
  /**
   * level index → open time (ms) of the candle whose buy or sell is in flight: the level waits
   * for the fill; an order not filled by the next candle is forgotten (market orders fill at once)
   */
  pending: Record<string, number>;
}

/** The level prices, lowest first (both bounds included). */
export function gridLevels(
  p: Pick<GridParams, "lower" | "upper" | "levels" | "spacing">,
): Decimal[] {
  const steps = p.levels - 1;
  if (p.spacing === "GEOMETRIC") {
    const ratio = p.upper.div(p.lower).pow(new Decimal(1).div(steps));
    return Array.from({ length: p.levels }, (_, i) =>
      i === steps ? p.upper : p.lower.mul(ratio.pow(i)),
    );
  }
  const step = p.upper.sub(p.lower).div(steps);
  return Array.from({ length: p.levels }, (_, i) => p.lower.add(step.mul(i)));
}

const levelOf = (intentId: string): string | null =>
  /^grid-(?:buy|sell)-(\d+)$/.exec(intentId)?.[1] ?? null;

export const grid: StrategyDefinition<GridParams, GridState> = {
  kind: "grid",
  params: gridParams,
  timeframe: (p) => p.timeframe,
  lookback: () => 2,
  initialState: () => ({ lastClose: null, holdings: {}, pending: {} }),

  onCandle({ candles, position, params, state }) {
    const last = candles.at(-1);
    if (!last) return { intents: [], state };
    const now = last.openTime.getTime();
    const close = last.close;
    const previous = decimalOf(state.lastClose) ?? candles.at(-2)?.close ?? last.open;
    const pending = Object.fromEntries(Object.entries(state.pending).filter(([, at]) => at >= now));
    const levels = gridLevels(params);
    const intents: StrategyIntent[] = [];
    // what can still be sold: the strategy's position bounds the sum of the levels' holdings
    let sellable = position.quantity.gt(0) ? position.quantity : new Decimal(0);
    for (let i = 0; i < levels.length - 1; i++) {
      const key = String(i);
      if (pending[key] !== undefined) continue;
      const held = decimalOf(state.holdings[key]);
      if (held && held.gt(0)) {
        if (close.gte(levels[i + 1]!) && sellable.gt(0)) {
          const quantity = Decimal.min(held, sellable);
          sellable = sellable.sub(quantity);
          intents.push({
            id: `grid-sell-${i}`,
            action: "sell",
            size: { kind: "quantity", value: quantity },
            orderType: "MARKET",
            reason: "grid",
          });
          pending[key] = now;
        }
      } else if (previous.gt(levels[i]!) && close.lte(levels[i]!)) {
        intents.push({
          id: `grid-buy-${i}`,
          action: "buy",
          size: { kind: "quote", value: params.quote },
          orderType: "MARKET",
          reason: "grid",
        });
        pending[key] = now;
      }
    }
    return { intents, state: { ...state, lastClose: decimalText(close), pending } };
  },

  onFill(_params, state, fill) {
    const key = levelOf(fill.intentId);
    if (key === null) return state;
    const held = decimalOf(state.holdings[key]) ?? new Decimal(0);
    const after = fill.side === "BUY" ? held.add(fill.quantity) : held.sub(fill.quantity);
    const holdings = { ...state.holdings };
    if (after.gt(0)) holdings[key] = decimalText(after);
    else delete holdings[key];
    const pending = { ...state.pending };
    delete pending[key];
    return { ...state, holdings, pending };
  },
};
