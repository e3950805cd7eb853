// The position calculator (position-math.ts applyFill) on BigInt fixed point, for folding many
// stored fills fast (the recompute audit reads a whole portfolio's trades). It must give the very
// same digits as applyFill, so it reproduces decimal.js's arithmetic rather than "exact" maths:
//
// - every value is a bigint scaled by 10^STORAGE_SCALE (stored values have at most 18 decimals,
//   so they are exact); products of two values are exact at scale 10^36;
// - decimal.js rounds every operation to 60 significant digits. A result under 10^60 in scaled
//   units has at most 60 digits, so it is exact there as here; when any intermediate would reach
//   10^60 the fold falls back to applyFill itself for that position (see FixedPositionFold), so
//   the two never disagree, however large the values;
// - the average is cost ÷ quantity, which decimal.js rounds twice: to 60 significant digits
//   (half-even) in div(), then to 18 places (half-even) in roundForStorage(). The second rounding
//   can differ from a single correct rounding when the first one lands exactly on a half, so
//   storageQuotient() rounds the same two times whenever the quotient is that close to a tie;
// - realized PnL is rounded half-even to 18 places once, as roundForStorage() does.
import { Decimal, STORAGE_SCALE } from "../../lib/decimal.ts";
import { type FillInput, type PositionState, type Side, applyFill } from "./position-math.ts";

/** 10^0 … 10^80: every power the fold needs, computed once. */
const POW10: readonly bigint[] = Array.from({ length: 81 }, (_, i) => 10n ** BigInt(i));
const SCALE = POW10[STORAGE_SCALE]!;
/** decimal.js keeps 60 significant digits: scaled results below this bound are exact. */
const PRECISION = 60;
const EXACT_LIMIT = POW10[PRECISION]!;
/** quotients below this have at most 41 digits, so decimal.js keeps at least 19 more places */
const SHORT_QUOTIENT = POW10[41]!;

/** Digits that a double holds exactly (10^15 < 2^53). */
const EXACT_NUMBER_DIGITS = 15;

/**
 * A stored decimal string as a bigint scaled by 10^18, or null when it is not in the stored
 * form "-?digits(.1 to 18 digits)?" (more decimals, exponent notation, separators...): the caller
 * then takes the decimal.js path. A hand-written scanner rather than a regex and BigInt(string):
 * this runs three times per trade, and most stored values (PostgreSQL's padding zeros aside)
 * have at most 15 significant digits, which a double accumulates exactly.
 */
export function parseScaled(text: string): bigint | null {
  const length = text.length;
  const negative = text.charCodeAt(0) === 45; // "-"
  const start = negative ? 1 : 0;
  const dot = text.indexOf(".", start);
  const intEnd = dot < 0 ? length : dot;
  if (intEnd === start) return null; // no integer digits
  let end = length;
  if (dot >= 0) {
    const places = length - dot - 1;
    if (places === 0 || places > STORAGE_SCALE) return null;
    while (text.charCodeAt(end - 1) === 48) end--; // trailing zeros change nothing
    if (end === dot + 1) end = dot; // "12.000" is 12
  }
  let value = 0;
  for (let i = start; i < end; i++) {
    if (i === dot) continue;
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  const places = dot < 0 || end <= dot ? 0 : end - dot - 1;
  const digits = end - start - (places > 0 ? 1 : 0);
  const units =
    digits <= EXACT_NUMBER_DIGITS
      ? BigInt(value)
      : BigInt(
          places > 0 ? text.slice(start, dot) + text.slice(dot + 1, end) : text.slice(start, end),
        );
  const scaled = units * POW10[STORAGE_SCALE - places]!;
  return negative ? -scaled : scaled;
}

/** A scaled bigint in the canonical stored form (plain, no trailing zeros), as toDb() writes. */
export function formatScaled(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const int = abs / SCALE;
  const frac = (abs % SCALE).toString().padStart(STORAGE_SCALE, "0").replace(/0+$/, "");
  const text = frac ? `${int}.${frac}` : `${int}`;
  return negative ? `-${text}` : text;
}

export function scaledToDecimal(value: bigint): Decimal {
  return new Decimal(formatScaled(value));
}

/** n ÷ d rounded half-even to an integer; d > 0. */
export function divHalfEven(n: bigint, d: bigint): bigint {
  const q = n / d; // truncates toward zero
  const r = n % d; // has n's sign
  if (r === 0n) return q;
  const twice = r < 0n ? -2n * r : 2n * r;
  if (twice < d || (twice === d && (q & 1n) === 0n)) return q;
  return n < 0n ? q - 1n : q + 1n;
}

/**
 * roundForStorage(cost.div(quantity)) of decimal.js for cost = c × 10^-36 and quantity =
 * n × 10^-18 (0 ≤ c < 10^60, n > 0), as a scaled bigint; null when the quotient is too large for
 * the emulation (60 significant digits would not reach the 18th place).
 */
export function storageQuotient(c: bigint, n: bigint): bigint | null {
  const q = c / n;
  if (q === 0n || q >= EXACT_LIMIT) return null; // below 10^-18 or above 10^42: not emulated
  const r = c - q * n;
  // decimal.js first keeps `extra` places beyond the 18th (60 significant digits), which changes
  // the result only when that rounding lands exactly on a half: |r/n − ½| ≤ ½·10^-extra. With at
  // most 41 digits before, extra ≥ 19. The ratio in doubles is off by well under 10^-15, so a
  // distance from ½ above 10^-9 settles it without more bigint arithmetic (almost every call).
  if (q < SHORT_QUOTIENT) {
    const ratio = Number(r) / Number(n);
    if (ratio > 0.5 + 1e-9) return q + 1n;
    if (ratio < 0.5 - 1e-9) return q;
  }
  const d = 2n * r - n; // sign of (remainder − half)
  if (d === 0n) return (q & 1n) === 0n ? q : q + 1n;
  const absD = d < 0n ? -d : d;
  const extra = PRECISION - q.toString().length; // q ≥ 1: its digits lead the quotient
  if (absD * POW10[extra]! > n) return d > 0n ? q + 1n : q;
  return divHalfEven(divHalfEven(c * POW10[extra]!, n), POW10[extra]!);
}

/** A position on scaled bigints; mutated in place by applyFixedFill (no allocation per fill). */
export interface FixedState {
  quantity: bigint;
  avgPrice: bigint;
  realizedPnl: bigint;
  fees: bigint;
}

const absOf = (v: bigint) => (v < 0n ? -v : v);

/**
 * applyFill() on scaled bigints: same rules, same rounding. Updates `state` and returns true, or
 * leaves it untouched and returns false when the fill is invalid or some intermediate would not
 * be exact in decimal.js (≥ 10^60 scaled): then applyFill() must decide (throw or round).
 */
export function applyFixedFill(
  state: FixedState,
  side: Side,
  quantity: bigint,
  price: bigint,
  fee: bigint,
): boolean {
  // applyFill's RangeErrors are raised by the decimal.js path the caller falls back to
  if (quantity <= 0n || price <= 0n || fee < 0n) return false;
  const qty = state.quantity;
  const delta = side === "BUY" ? quantity : -quantity;
  const fees = state.fees + fee; // ≥ 0: fees only grow
  const nextQty = qty + delta;
  if (fees >= EXACT_LIMIT || nextQty >= EXACT_LIMIT || nextQty <= -EXACT_LIMIT) return false;

  if (qty === 0n || qty < 0n === delta < 0n) {
    // weighted average cost, at scale 10^36; every term must be exact for decimal.js too
    // both terms are ≥ 0, so the sum bounds them too
    const cost = absOf(qty) * state.avgPrice + quantity * price;
    if (cost >= EXACT_LIMIT) return false;
    const avgPrice = storageQuotient(cost, absOf(nextQty));
    if (avgPrice === null) return false;
    state.quantity = nextQty;
    state.avgPrice = avgPrice;
    state.fees = fees;
    return true;
  }

  // reducing, closing or crossing: realize (price − average) × closed × sign(position)
  const closed = absOf(qty) < quantity ? absOf(qty) : quantity;
  const spread = price - state.avgPrice;
  const gross = qty < 0n ? -(spread * closed) : spread * closed; // scale 10^36
  // (price and average are under 10^60, so their difference is too)
  if (gross >= EXACT_LIMIT || gross <= -EXACT_LIMIT) return false;
  const realizedPnl = state.realizedPnl + divHalfEven(gross, SCALE);
  if (realizedPnl >= EXACT_LIMIT || realizedPnl <= -EXACT_LIMIT) return false;
  state.quantity = nextQty;
  state.avgPrice = nextQty === 0n ? 0n : nextQty < 0n === qty < 0n ? state.avgPrice : price; // crossed: at fill
  state.realizedPnl = realizedPnl;
  state.fees = fees;
  return true;
}

/**
 * One position folded from stored fills: fixed point while every value fits, decimal.js
 * (applyFill itself) from the first fill that does not, so the result is always applyFill's.
 */
export class FixedPositionFold {
  private readonly state: FixedState = { quantity: 0n, avgPrice: 0n, realizedPnl: 0n, fees: 0n };
  /** set once the position has left the fixed-point range; stays on decimal.js from then on */
  private decimal: PositionState | null = null;

  /** Applies a fill whose numbers are stored decimal strings (TEXT, or NUMERIC cast to text). */
  applyStored(side: Side, quantity: string, price: string, fee: string): void {
    if (this.decimal === null) {
      const q = parseScaled(quantity);
      const p = parseScaled(price);
      const f = parseScaled(fee);
      if (q !== null && p !== null && f !== null && applyFixedFill(this.state, side, q, p, f)) {
        return;
      }
      this.decimal = this.fixedState();
    }
    this.decimal = applyFill(this.decimal, {
      side,
      quantity: new Decimal(quantity),
      price: new Decimal(price),
      fee: new Decimal(fee),
    }).next;
  }

  /** Applies a fill given as decimals (tests, replays): through their plain strings. */
  apply(fill: FillInput): void {
    this.applyStored(fill.side, fill.quantity.toFixed(), fill.price.toFixed(), fill.fee.toFixed());
  }

  result(): PositionState {
    return this.decimal ?? this.fixedState();
  }

  private fixedState(): PositionState {
    return {
      quantity: scaledToDecimal(this.state.quantity),
      avgPrice: scaledToDecimal(this.state.avgPrice),
      realizedPnl: scaledToDecimal(this.state.realizedPnl),
      fees: scaledToDecimal(this.state.fees),
    };
  }
}

/** replayFills() through the fixed-point fold: the same result, faster for long sequences. */
export function replayFillsFixed(fills: Iterable<FillInput>): PositionState {
  const fold = new FixedPositionFold();
  for (const fill of fills) fold.apply(fill);
  return fold.result();
}
