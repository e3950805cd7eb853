// The deepest fall of the backtest's equity from a running peak, in percent and in money, fed one
// candle at a time. The same definition as trade-stats' maxDrawdown for a curve without deposits
// or withdrawals (a backtest has none: a test proves both agree), but incremental and cheap:
// maxDrawdown divides every point by the previous one (a 60-digit Decimal division, ~5 µs here),
// which alone would take longer than the whole budget of a year of minutes.
//
// Each mark comes as a float (to compare) and as its exact parts (cash + quantity × close). The
// exact Decimal value is only computed for a candidate: a fall the float says is within 1e-9 of
// the deepest so far. Floats are off by ~1e-16 relative, so no deeper fall is ever missed, and
// every figure reported is computed exactly.
import { type Decimal, ZERO } from "../../lib/decimal.ts";

const MARGIN = 1 - 1e-9;

const exact = (cash: Decimal, quantity: Decimal, price: Decimal) =>
  quantity.isZero() ? cash : cash.plus(quantity.mul(price));

export class DrawdownTracker {
  private peakF = -Infinity;
  private peakCash = ZERO;
  private peakQuantity = ZERO;
  private peakPrice = ZERO;
  private peakExact: Decimal | null = null;
  private fallF = 0;
  private fractionF = 0;
  /** the deepest fall so far as a fraction of its peak */
  private fraction = ZERO;
  amount = ZERO;

  /** equity = cash + quantity × price, `valueF` being its float */
  mark(valueF: number, cash: Decimal, quantity: Decimal, price: Decimal): void {
    if (valueF >= this.peakF) {
      this.peakF = valueF;
      this.peakCash = cash;
      this.peakQuantity = quantity;
      this.peakPrice = price;
      this.peakExact = null;
      return;
    }
    const fallF = this.peakF - valueF;
    const fractionF = this.peakF > 0 ? fallF / this.peakF : 0;
    if (fallF < this.fallF * MARGIN && fractionF < this.fractionF * MARGIN) return;
    const peak = (this.peakExact ??= exact(this.peakCash, this.peakQuantity, this.peakPrice));
    const fall = peak.minus(exact(cash, quantity, price));
    if (fall.gt(this.amount)) {
      this.amount = fall;
      this.fallF = fallF;
    }
    if (peak.gt(0)) {
      const fraction = fall.div(peak);
      if (fraction.gt(this.fraction)) {
        this.fraction = fraction;
        this.fractionF = fractionF;
      }
    }
  }

  get percent(): Decimal {
    return this.fraction.mul(100);
  }
}
