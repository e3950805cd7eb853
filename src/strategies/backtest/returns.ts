// Running statistics of per-candle returns (Welford), for Sharpe and Sortino. Returns are ratios,
// not money: floats are the right tool, and one pass keeps a year of minutes cheap.

/** Candle periods in a year of a market that trades around the clock (crypto). */
export function periodsPerYear(intervalMs: number): number {
  return (365.25 * 86_400_000) / intervalMs;
}

// The running figures live in one Float64Array: a double stored in an object field is a boxed
// number, and the fields change on every candle of a year of minutes (the same doubles either way).
const N = 0;
const MEAN = 1;
const M2 = 2;
const DOWNSIDE = 3;

export class ReturnStats {
  private readonly v = new Float64Array(4);

  add(r: number): void {
    const v = this.v;
    const n = ++v[N]!;
    const delta = r - v[MEAN]!;
    v[MEAN] = v[MEAN]! + delta / n;
    v[M2] = v[M2]! + delta * (r - v[MEAN]!);
    if (r < 0) v[DOWNSIDE] = v[DOWNSIDE]! + r * r;
  }

  /** mean / standard deviation × √periods; null with fewer than two returns or no variation */
  sharpe(periods: number): number | null {
    const v = this.v;
    if (v[N]! < 2) return null;
    const sd = Math.sqrt(v[M2]! / (v[N]! - 1));
    return sd > 0 ? (v[MEAN]! / sd) * Math.sqrt(periods) : null;
  }

  /** mean / downside deviation (target 0) × √periods; null without a losing period */
  sortino(periods: number): number | null {
    const v = this.v;
    if (v[N]! < 2) return null;
    const dd = Math.sqrt(v[DOWNSIDE]! / v[N]!);
    return dd > 0 ? (v[MEAN]! / dd) * Math.sqrt(periods) : null;
  }
}
