// The deepest fall of the backtest's equity from a running peak, in percent and in money, fed one
// candle at a time. The same definition as trade-stats' maxDrawdown for a curve without deposits
// or withdrawals (a backtest has none), but incremental and without a division per sample: that
// one divides every point by the previous (a 60-digit Decimal division, ~5 µs here), which alone
// would take longer than the whole two-second budget of a year of minutes. Here a division
// happens only when a new deepest fall is found.
import { type Decimal, ZERO } from "../../lib/decimal.ts";

export class DrawdownTracker {
  private peak: Decimal | null = null;
  /** the deepest fall so far as a fraction of its peak, and peak × that fraction */
  private fraction = ZERO;
  private threshold = ZERO;
  amount = ZERO;

  add(value: Decimal): void {
    const peak = this.peak;
    if (peak === null || value.gt(peak)) {
      this.peak = value;
      this.threshold = value.mul(this.fraction);
      return;
    }
    const fall = peak.minus(value);
    if (fall.gt(this.amount)) this.amount = fall;
    if (fall.gt(this.threshold) && peak.gt(0)) {
      this.fraction = fall.div(peak);
      this.threshold = fall;
    }
  }

  get percent(): Decimal {
    return this.fraction.mul(100);
  }
}
