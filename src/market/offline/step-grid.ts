// A price or quantity grid (tick size, lot size) and the exact Decimal of a whole number of steps.
// The generator works in whole steps held in doubles (exact up to 2^53); turning a count into a
// Decimal goes through the integer's digits, never through a binary fraction, so 0.1-style steps
// come out exact.
import { Decimal, parseDecimal } from "../../lib/decimal.ts";

export class StepGrid {
  readonly step: Decimal;
  /** the step as an integer mantissa times 10^-scale (0.25 → 25 × 10^-2) */
  private readonly mantissa: number;
  private readonly scale: number;
  /** the step as a double, for the generator's float arithmetic only */
  readonly stepFloat: number;

  constructor(step: string) {
    const d = parseDecimal(step);
    if (d === null || !d.gt(0)) throw new RangeError(`step must be a positive number: ${step}`);
    this.step = d;
    this.scale = Math.max(0, d.decimalPlaces());
    const mantissa = d.mul(new Decimal(10).pow(this.scale));
    if (!mantissa.lte(Number.MAX_SAFE_INTEGER)) throw new RangeError(`step too large: ${step}`);
    this.mantissa = mantissa.toNumber();
    this.stepFloat = d.toNumber();
  }

  /** `count` whole steps as an exact Decimal (count is a non-negative integer). */
  toDecimal(count: number): Decimal {
    return new Decimal(this.format(count));
  }

  /** `count` whole steps as a plain decimal string. */
  format(count: number): string {
    const product = count * this.mantissa;
    const digits = Number.isSafeInteger(product)
      ? product.toString()
      : (BigInt(count) * BigInt(this.mantissa)).toString();
    if (this.scale === 0) return digits;
    const padded = digits.padStart(this.scale + 1, "0");
    const cut = padded.length - this.scale;
    return `${padded.slice(0, cut)}.${padded.slice(cut)}`;
  }
}
