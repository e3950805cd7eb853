// A backtest's books while it runs (split from engine.ts): cash, the position, the orders waiting
// for the next candle, the fills and the skipped intents — and the two things that change them,
// filling the waiting orders against a candle and turning a close's intents into orders.
//
// Why a class of its own: the engine's loop runs on every candle of a year of minutes, and what
// happens on a fill or an intent (a few thousand times) is most of its code. Kept in these
// methods, it is compiled on its own once it is hot, and the loop the optimizing compiler must
// compile before the run leaves slow code stays small: compiled with the fills inlined it took
// ~55 ms of a ~250 ms run, during which every candle ran unoptimized.
import type { Decimal } from "../../lib/decimal.ts";
import { toFloat } from "../../lib/decimal-float.ts";
import type { Candle } from "../../market/types.ts";
import type { StrategyFill, StrategyIntent, StrategyPosition } from "../types.ts";
import { Book } from "./book.ts";
import {
  type PendingOrder,
  type Rates,
  type SizingContext,
  affordable,
  matchOnCandle,
  orderFor,
} from "./execution.ts";
import { IntegerFills } from "./integer-fills.ts";
import type { FillUnits } from "./trips-in-units.ts";
import type { BacktestFill, BacktestInstrument, SkippedIntent } from "./types.ts";

type Liquidity = BacktestFill["liquidity"];

const CASH = 0;
const QUANTITY = 1;

export class RunBooks {
  cash: Decimal;
  /**
   * cash and the position's quantity as floats, for the per-candle equity marks: in a
   * Float64Array, as ReturnStats keeps its figures (a field that holds 0 and then 0.0166 changes
   * its object's shape, and code compiled for the old one is thrown away mid-run)
   */
  private readonly floats = new Float64Array(2);
  readonly book = new Book();
  /** what the strategy is shown: made again after each fill */
  position: StrategyPosition;
  readonly pending: PendingOrder[] = [];
  readonly fills: BacktestFill[] = [];
  readonly skipped: SkippedIntent[] = [];
  /** exact integer fills for market orders while the books fit them (integer-fills.ts) */
  private lane: IntegerFills | null;
  /** what orderFor sizes with (see engine.ts) */
  private readonly sizing: SizingContext;

  constructor(
    private readonly instrument: BacktestInstrument,
    private readonly rates: Rates,
    initialCash: Decimal,
    /** the close of the first candle evaluated (intents are sized at their own candle's close) */
    firstClose: Decimal,
    /** the exact equity at the close being decided on, read only when an entry is sized by it */
    equity: () => Decimal,
    /** the strategy told of each fill (its evaluator, or onFill) */
    private readonly told: (fill: StrategyFill) => void,
  ) {
    this.cash = initialCash;
    this.floats[CASH] = toFloat(initialCash);
    this.position = this.book.position();
    this.lane = IntegerFills.open(instrument, rates, initialCash);
    this.sizing = {
      price: firstClose,
      position: this.book.quantity,
      get equity() {
        return equity();
      },
      lane: this.lane,
    };
  }

  get cashF(): number {
    return this.floats[CASH]!;
  }

  get quantityF(): number {
    return this.floats[QUANTITY]!;
  }

  /**
   * The waiting orders matched against candle `candle` (index `candleIndex` of the evaluated
   * ones): the fills recorded, the books and the strategy told. True when anything filled.
   */
  fillPending(candle: Candle, candleIndex: number): boolean {
    const pending = this.pending;
    let filled = false;
    for (let k = 0; k < pending.length; k++) {
      const order = pending[k]!;
      const lane = this.lane;
      // a market order's placement through the integer lane (the same fill, computed in units),
      // else the Decimal path; both leave cash and book.quantity as they are after it
      const laned =
        lane && !order.placed && !order.limitPrice
          ? lane.marketAtOpen(order.side, order.quantity, candle.open)
          : null;
      let recorded: BacktestFill;
      if (laned) {
        removeAt(pending, k--);
        recorded = recordOf(
          order,
          laned.quantity,
          laned.price,
          laned.fee,
          "TAKER",
          candle,
          candleIndex,
        );
        this.cash = laned.cash;
        // the fill record is the book's fill too (side, quantity, price, fee)
        this.book.add(recorded, laned.position);
      } else {
        const matched = matchOnCandle(order, candle, this.instrument, this.rates);
        if (!matched) continue;
        removeAt(pending, k--);
        const cut = affordable(
          matched,
          order.side,
          this.cash,
          this.book.quantity,
          this.instrument,
          this.rates,
        );
        if (!cut) {
          this.skipped.push({
            intent: order.intent,
            time: candle.openTime,
            why: order.side === "BUY" ? "no-cash" : "no-position",
          });
          continue;
        }
        this.cash =
          order.side === "BUY"
            ? this.cash.minus(cut.notional).minus(cut.fee)
            : this.cash.plus(cut.notional).minus(cut.fee);
        recorded = recordOf(
          order,
          cut.quantity,
          cut.price,
          cut.fee,
          cut.liquidity,
          candle,
          candleIndex,
        );
        this.book.add(recorded);
        // the lane goes on from these books, or the run goes on without it
        if (lane && !lane.resume(this.cash, this.book.quantity))
          this.sizing.lane = this.lane = null;
      }
      this.floats[CASH] = toFloat(this.cash);
      this.floats[QUANTITY] = toFloat(this.book.quantity);
      this.position = this.book.position();
      this.fills.push(recorded);
      // the record is the strategy's fill too (intent, side, quantity, price, time)
      this.told(recorded);
      filled = true;
    }
    return filled;
  }

  /** The intents answered on `candle`'s close, sized at that close: waiting orders, or skips. */
  decide(intents: readonly StrategyIntent[], candle: Candle): void {
    const sizing = this.sizing;
    sizing.price = candle.close;
    sizing.position = this.book.quantity;
    // indexed: an iterator would make a result object per call
    for (let k = 0; k < intents.length; k++) {
      const intent = intents[k]!;
      const order = orderFor(intent, sizing, this.instrument);
      if (typeof order === "string")
        this.skipped.push({ intent, time: candle.closeTime, why: order });
      else this.pending.push(order);
    }
  }

  /** The fills' units, when the integer lane made every one (trips-in-units.ts). */
  fillUnits(): FillUnits | null {
    return this.lane ? this.lane.fillUnits() : null;
  }
}

/** list without its element k, in place (splice would make an array of what it removed). */
function removeAt<T>(list: T[], k: number): void {
  for (let j = k + 1; j < list.length; j++) list[j - 1] = list[j]!;
  list.length--;
}

/**
 * A fill as the report has it: the fields one by one, in the order the report has always had
 * them (a spread copies them slower).
 */
function recordOf(
  order: PendingOrder,
  quantity: Decimal,
  price: Decimal,
  fee: Decimal,
  liquidity: Liquidity,
  candle: Candle,
  candleIndex: number,
): BacktestFill {
  return {
    intentId: order.intent.id,
    reason: order.intent.reason,
    side: order.side,
    quantity,
    price,
    liquidity,
    fee,
    time: candle.openTime,
    candleIndex,
  };
}
