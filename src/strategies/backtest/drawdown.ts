// The deepest fall of the backtest's equity from a running peak, in percent and in money, fed one
// candle at a time. The same definition as trade-stats' maxDrawdown for a curve without deposits
// or withdrawals (a backtest has none: a test proves both agree), but incremental and cheap:
// maxDrawdown divides every point by the previous one (a 60-digit Decimal division, ~5 µs here),
// which alone would take longer than the whole budget of a year of minutes.
//
// Each mark comes as a float (to compare) and as its exact parts (cash + quantity × the close of
// candle `at`, read from the candle only when the mark is kept: most marks are not). A
// mark whose float fall (or fall as a fraction of its peak) is within 1e-9 of the deepest float
// fall so far is a candidate: its exact parts are kept, and nothing exact is computed while the
// run goes on (a long slide sets a new deepest fall on every candle, and computing each one
// exactly was a third of B8's run). When the figures are read, the candidates still within 1e-9
// of the final deepest floats are computed exactly and the deepest exact fall wins. Floats are
// off by ~1e-16 relative, so the exact deepest fall is always among them, and every figure
// reported is computed exactly.
import { type Decimal, ZERO } from "../../lib/decimal.ts";

/** What the marks' prices are read from: the run's candles (the close of the one marked). */
export type MarkPrices = readonly { readonly close: Decimal }[];

const MARGIN = 1 - 1e-9;
/** candidates kept before the ones no longer within the margin are dropped */
const PRUNE_AT = 1024;

const exact = (cash: Decimal, quantity: Decimal, price: Decimal) =>
  quantity.isZero() ? cash : cash.plus(quantity.mul(price));

/** A peak's exact parts, shared by the candidates that fell from it (valued once, when read). */
interface Peak {
  cash: Decimal;
  quantity: Decimal;
  /** index of the candle whose close prices it */
  at: number;
  value: Decimal | null;
}

interface Candidate {
  peak: Peak;
  cash: Decimal;
  quantity: Decimal;
  at: number;
  fallF: number;
  fractionF: number;
}

export class DrawdownTracker {
  private peakF = -Infinity;
  private peakCash = ZERO;
  private peakQuantity = ZERO;
  private peakAt = 0;
  /** the current peak as a record, made when its first candidate needs it */
  private peak: Peak | null = null;
  private fallF = 0;
  private fractionF = 0;
  /** below this, a mark may be a candidate (see wants); above it and below the peak, it is not */
  private candidateBelow = Infinity;
  private candidates: Candidate[] = [];
  private result: { amount: Decimal; fraction: Decimal } | null = null;

  constructor(private readonly prices: MarkPrices) {}

  /**
   * False when mark(valueF, …) would change nothing: below the peak and short of the deepest fall
   * so far by more than the margin (most marks of a run). Small enough for the optimizing compiler
   * to inline into the engine's loop whatever else it inlines there; mark itself is not, and a
   * call boxes the float on each of ~260,000 marks of a year of minutes.
   */
  wants(valueF: number): boolean {
    return valueF >= this.peakF || valueF <= this.candidateBelow;
  }

  /** equity = cash + quantity × prices[at].close, `valueF` being its float */
  mark(valueF: number, cash: Decimal, quantity: Decimal, at: number): void {
    if (valueF >= this.peakF) {
      this.peakF = valueF;
      this.peakCash = cash;
      this.peakQuantity = quantity;
      this.peakAt = at;
      this.peak = null;
      this.candidateBelow = this.threshold();
      return;
    }
    const fallF = this.peakF - valueF;
    const fractionF = this.peakF > 0 ? fallF / this.peakF : 0;
    if (fallF < this.fallF * MARGIN && fractionF < this.fractionF * MARGIN) return;
    this.candidate(fallF, fractionF, cash, quantity, at);
  }

  /** A mark within the margin of the deepest fall so far: kept, to be valued exactly when read. */
  private candidate(
    fallF: number,
    fractionF: number,
    cash: Decimal,
    quantity: Decimal,
    at: number,
  ): void {
    if (fallF > this.fallF) this.fallF = fallF;
    if (fractionF > this.fractionF) this.fractionF = fractionF;
    this.candidateBelow = this.threshold();
    const peak = (this.peak ??= {
      cash: this.peakCash,
      quantity: this.peakQuantity,
      at: this.peakAt,
      value: null,
    });
    this.result = null;
    // A slide sets a new deepest fall on candle after candle, each leaving the one before it
    // outside the margin: the candidates it leaves behind are dropped as they are passed (a dropped
    // one's record taken over), so a slide keeps one candidate instead of a record per candle.
    const candidates = this.candidates;
    let spare: Candidate | undefined;
    while (candidates.length && this.passed(candidates[candidates.length - 1]!))
      spare = candidates.pop();
    if (spare) {
      spare.peak = peak;
      spare.cash = cash;
      spare.quantity = quantity;
      spare.at = at;
      spare.fallF = fallF;
      spare.fractionF = fractionF;
      candidates.push(spare);
    } else candidates.push({ peak, cash, quantity, at, fallF, fractionF });
    if (candidates.length >= PRUNE_AT) this.prune();
  }

  /** True when the deepest floats have left candidate `c` outside the margin (prune drops it). */
  private passed(c: Candidate): boolean {
    return c.fallF < this.fallF * MARGIN && c.fractionF < this.fractionF * MARGIN;
  }

  /**
   * The value under which a mark below the peak may be a candidate: a fall of at least the
   * deepest × MARGIN is a value at most peak − deepest × MARGIN, a fraction of at least the
   * deepest × MARGIN one at most peak × (1 − deepest fraction × MARGIN). Raised by 1e-12 of the
   * peak, far beyond the rounding of either form, so wants never turns away a mark that mark's
   * own test (which still decides) would keep; with no positive peak, every mark is wanted.
   */
  private threshold(): number {
    const peak = this.peakF;
    if (!(peak > 0)) return Infinity;
    const byFall = peak - this.fallF * MARGIN;
    const byFraction = peak * (1 - this.fractionF * MARGIN);
    return (byFall > byFraction ? byFall : byFraction) + peak * 1e-12;
  }

  /** Drops the candidates the deepest floats have left behind. */
  private prune(): void {
    this.candidates = this.candidates.filter((c) => !this.passed(c));
  }

  /** The exact deepest fall and fraction over the candidates left. */
  private figures(): { amount: Decimal; fraction: Decimal } {
    if (this.result) return this.result;
    this.prune();
    let amount = ZERO;
    let fraction = ZERO;
    const prices = this.prices;
    for (const c of this.candidates) {
      const peak = (c.peak.value ??= exact(c.peak.cash, c.peak.quantity, prices[c.peak.at]!.close));
      const fall = peak.minus(exact(c.cash, c.quantity, prices[c.at]!.close));
      if (fall.gt(amount)) amount = fall;
      if (peak.gt(0)) {
        const f = fall.div(peak);
        if (f.gt(fraction)) fraction = f;
      }
    }
    this.result = { amount, fraction };
    return this.result;
  }

  get amount(): Decimal {
    return this.figures().amount;
  }

  get percent(): Decimal {
    return this.figures().fraction.mul(100);
  }
}
