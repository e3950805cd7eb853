// The backtest's position in its one symbol. Its quantity moves with every fill (as applyFill
// moves it: quantity + signed fill quantity); its average entry price — a 60-digit division per
// buy, and the summary replays every fill through applyFill again for the round trips — is
// computed only when a strategy reads it (stops and targets do; a plain crossover never does):
// the fills not yet folded in are then applied in order through position-math's applyFill, so
// the average is the very one an eager fold would have given.
import { type Decimal, ZERO, plusDec } from "../../lib/decimal.ts";
import {
  type FillInput,
  type PositionState,
  FLAT,
  applyFill,
  signedQuantity,
} from "../../domain/positions/position-math.ts";
import type { StrategyPosition } from "../types.ts";

export class Book {
  quantity: Decimal = ZERO;
  private state: PositionState = FLAT;
  private readonly unapplied: FillInput[] = [];

  /**
   * A fill into the book; `quantityAfter`, when the caller computed it exactly (the integer
   * lane), is the quantity after it.
   */
  add(fill: FillInput, quantityAfter?: Decimal): void {
    this.unapplied.push(fill);
    if (quantityAfter) {
      this.quantity = quantityAfter;
      return;
    }
    // plusDec: an entry from flat is its own quantity, without an addition to zero; a sell from a
    // position is quantity − q, without the copy −q (quantity + −q is decimal.js's very quantity
    // − q: it adds a negative by subtracting)
    this.quantity =
      fill.side === "SELL" && !this.quantity.isZero() && !fill.quantity.isZero()
        ? this.quantity.minus(fill.quantity)
        : plusDec(this.quantity, signedQuantity(fill.side, fill.quantity));
  }

  /** The average cost of the open quantity after every fill so far (0 when flat). */
  get averagePrice(): Decimal {
    for (const fill of this.unapplied) this.state = applyFill(this.state, fill).next;
    this.unapplied.length = 0;
    return this.state.avgPrice;
  }

  /** What the strategy sees: this quantity, and the average when it asks for it. */
  position(): StrategyPosition {
    return new BookPosition(this.quantity, this);
  }
}

/**
 * The position as of the last fill. A strategy is handed the current one only (the engine makes
 * a new one after each fill), so the book's average is this position's average.
 */
class BookPosition implements StrategyPosition {
  constructor(
    readonly quantity: Decimal,
    private readonly book: Book,
  ) {}
  get averagePrice(): Decimal | null {
    return this.quantity.isZero() ? null : this.book.averagePrice;
  }
}
