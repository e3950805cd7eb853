// Running statistics of per-candle returns (Welford), for Sharpe and Sortino. Returns are ratios,
// not money: floats are the right tool, and one pass keeps a year of minutes cheap.

/** Candle periods in a year of a market that trades around the clock (crypto). */
export function periodsPerYear(intervalMs: number): number {
  return (365.25 * 86_400_000) / intervalMs;
}

export class ReturnStats {
  private n = 0;
  private mean = 0;
  private m2 = 0;
  private downside = 0;

  add(r: number): void {
    this.n++;
    const delta = r - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (r - this.mean);
    if (r < 0) this.downside += r * r;
  }

  /** mean / standard deviation × √periods; null with fewer than two returns or no variation */
  sharpe(periods: number): number | null {
    if (this.n < 2) return null;
    const sd = Math.sqrt(this.m2 / (this.n - 1));
    return sd > 0 ? (this.mean / sd) * Math.sqrt(periods) : null;
  }

  /** mean / downside deviation (target 0) × √periods; null without a losing period */
  sortino(periods: number): number | null {
    if (this.n < 2) return null;
    const dd = Math.sqrt(this.downside / this.n);
    return dd > 0 ? (this.mean / dd) * Math.sqrt(periods) : null;
  }
}
