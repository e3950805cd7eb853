// A prototype for B4, superseded by src/domain/positions/position-fixed.ts (what
// PositionService.recompute now uses). This one assumes exact products and a single rounding of
// the average; the production fold also reproduces decimal.js's 60-significant-digit limit and
// its double rounding of the average, which only matter for extreme values or near-ties, so the
// two agree on B4's trades. Kept as the driver-fixed / prisma-text-fixed baselines.
//
// The original note: the position calculator's fold (src/domain/positions/position-math.ts
// applyFill) on BigInt fixed-point numbers scaled by 10^18, the storage scale, instead of
// decimal.js. Every stored value has at most 18 decimals, so a value is an exact bigint; sums are
// exact, products of two values are exact at scale 10^36, and the two places where the calculator
// rounds (the average after a division, realized PnL) round half-even to 18 decimals, as
// roundForStorage() does. It gives the same digits as the decimal.js calculator (whose 60
// significant digits cover these products) at a fraction of the cost; B4 checks that on every run.
import type { PositionState } from "../../src/domain/positions/position-math.ts";
import { Decimal } from "../../src/lib/decimal.ts";

const SCALE = 10n ** 18n;
const DECIMALS = 18;

export interface FixedState {
  quantity: bigint;
  avgPrice: bigint;
  realizedPnl: bigint;
  fees: bigint;
}

export const FIXED_FLAT: FixedState = Object.freeze({
  quantity: 0n,
  avgPrice: 0n,
  realizedPnl: 0n,
  fees: 0n,
});

/** A plain decimal string with at most 18 decimals (as stored) as a bigint scaled by 10^18. */
export function parseFixed(text: string): bigint {
  const negative = text.startsWith("-");
  const body = negative || text.startsWith("+") ? text.slice(1) : text;
  const dot = body.indexOf(".");
  const int = dot < 0 ? body : body.slice(0, dot);
  const frac = dot < 0 ? "" : body.slice(dot + 1);
  if (frac.length > DECIMALS) throw new RangeError(`more than ${DECIMALS} decimals: ${text}`);
  const value = BigInt((int || "0") + frac.padEnd(DECIMALS, "0"));
  return negative ? -value : value;
}

/** The canonical stored form (no exponent, no trailing zeros), like toDb(). */
export function formatFixed(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const int = abs / SCALE;
  const frac = (abs % SCALE).toString().padStart(DECIMALS, "0").replace(/0+$/, "");
  const text = frac ? `${int}.${frac}` : `${int}`;
  return negative && text !== "0" ? `-${text}` : text;
}

/** n / d rounded half-even to an integer (d ≠ 0). */
export function divHalfEven(n: bigint, d: bigint): bigint {
  const q = n / d; // truncates toward zero
  const r = n % d;
  if (r === 0n) return q;
  const sign = n < 0n !== d < 0n ? -1n : 1n;
  const twice = 2n * (r < 0n ? -r : r);
  const dAbs = d < 0n ? -d : d;
  if (twice > dAbs || (twice === dAbs && q % 2n !== 0n)) return q + sign;
  return q;
}

const abs = (v: bigint) => (v < 0n ? -v : v);

/** applyFill() of position-math.ts on scaled bigints: same rules, same rounding. */
export function applyFixedFill(
  state: FixedState,
  side: "BUY" | "SELL",
  quantity: bigint,
  price: bigint,
  fee: bigint,
): FixedState {
  const delta = side === "BUY" ? quantity : -quantity;
  const qty = state.quantity;
  const fees = state.fees + fee;
  if (qty === 0n || qty < 0n === delta < 0n) {
    const nextQty = qty + delta;
    const cost = abs(qty) * state.avgPrice + quantity * price; // scale 10^36
    return {
      quantity: nextQty,
      avgPrice: divHalfEven(cost, abs(nextQty)),
      realizedPnl: state.realizedPnl,
      fees,
    };
  }
  const closed = abs(qty) < quantity ? abs(qty) : quantity;
  const direction = qty < 0n ? -1n : 1n;
  const realized = divHalfEven((price - state.avgPrice) * closed * direction, SCALE);
  const nextQty = qty + delta;
  const avgPrice = nextQty === 0n ? 0n : nextQty < 0n === qty < 0n ? state.avgPrice : price;
  return { quantity: nextQty, avgPrice, realizedPnl: state.realizedPnl + realized, fees };
}

export function toPositionState(s: FixedState): PositionState {
  return {
    quantity: new Decimal(formatFixed(s.quantity)),
    avgPrice: new Decimal(formatFixed(s.avgPrice)),
    realizedPnl: new Decimal(formatFixed(s.realizedPnl)),
    fees: new Decimal(formatFixed(s.fees)),
  };
}
