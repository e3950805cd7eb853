// tripsOf's figures computed in integer units, for the fills most backtests make: every round
// trip opened from flat by one fill and closed by fills that reduce it (a crossover's entry and
// exit, a stop, a target). Each value is read once as a whole number of units of its column's
// places (quantities at the most places any quantity has, prices and fees likewise) and the
// round trips' arithmetic — applyFill's for such trips: the entry price is the fill's price, the
// realized PnL (price − entry) × quantity, the net realized − fees — is done on exact integers;
// only what the summary reports is made a Decimal.
//
// Why: the Decimal path (trips.ts) costs ~10 decimal.js operations a fill, and with their garbage
// it was the largest part of B8's summary (~60 ms of ~300 over 9,047 fills).
//
// When it is exactly the Decimal path's answer: the entry price of a trip opened by one fill is
// that price (entryPrice), kept as it is by roundForStorage while it has at most 18 places; a
// realized amount has the places of a price and a quantity together, at most 18 here, so its
// rounding for storage keeps it too; sums and products of integers up to 2^53 − 1 are exact and
// checked to stay so; a zero sum is a positive zero in both (decimal.js makes x − x and 0 + 0
// positive when rounding half-even). Anything else — a fill that adds to a trip or crosses zero,
// a value with more places or digits than fit, a time outside the period — answers null, and the
// Decimal path takes the whole run. A property test compares both on random trips.
import { STORAGE_SCALE, ZERO } from "../../lib/decimal.ts";
import {
  POW10,
  decimalOfScaled,
  safeInteger,
  scaleDigits,
  splitDigits,
} from "../../lib/decimal-scaled.ts";
import type { BacktestFill, BacktestTrade } from "./types.ts";
import type { TripSummary } from "./trips.ts";

/** roundTrips' period, as trips.ts has it: [0, 8.64e15) */
const PERIOD_END = 8.64e15;

/** A column of values as whole numbers of units of `places` places. */
export interface UnitColumn {
  units: ArrayLike<number>;
  places: number;
}

/** The fills' quantities, prices and fees as units (as the integer lane made them). */
export interface FillUnits {
  quantity: UnitColumn;
  price: UnitColumn;
  fee: UnitColumn;
}

/** One column of values (quantities, prices or fees) as units of its own places, or null. */
function column(
  fills: readonly BacktestFill[],
  pick: (f: BacktestFill) => BacktestFill["fee"],
): UnitColumn | null {
  const n = fills.length;
  const coefficients = new Float64Array(n);
  const exponents = new Int32Array(n);
  let places = 0;
  for (let i = 0; i < n; i++) {
    if (!splitDigits(pick(fills[i]!), coefficients, exponents, i)) return null;
    if (-exponents[i]! > places) places = -exponents[i]!;
  }
  if (places > 22) return null;
  for (let i = 0; i < n; i++) {
    const units = scaleDigits(coefficients[i]!, exponents[i]!, places);
    if (Number.isNaN(units)) return null;
    coefficients[i] = units;
  }
  return { units: coefficients, places };
}

/**
 * The summary in units, or null for the Decimal path; `given`, when the caller has the fills'
 * units already (the integer lane made every fill), spares reading them from the Decimals.
 */
export function tripsInUnits(
  fills: readonly BacktestFill[],
  given?: FillUnits | null,
): TripSummary | null {
  const quantities = given ? given.quantity : column(fills, (f) => f.quantity);
  const prices = given ? given.price : column(fills, (f) => f.price);
  const fees = given ? given.fee : column(fills, (f) => f.fee);
  if (!quantities || !prices || !fees) return null;
  const q = quantities.places;
  const p = prices.places;
  const d = fees.places;
  const r = p + q; // places of a realized amount
  const m = Math.max(r, d); // places of a net amount
  if (r > STORAGE_SCALE || m > 22) return null;
  const toNetR = POW10[m - r]!;
  const toNetD = POW10[m - d]!;

  const closed: BacktestTrade[] = [];
  let quantity = 0; // signed, at q places
  let entry = 0; // the open trip's entry price, at p places
  let feesPaid = 0;
  let wins = 0;
  let losses = 0;
  let grossProfit = 0;
  let losersNet = 0;
  // the open trip
  let trip: Omit<BacktestTrade, "closedAt" | "net" | "realized" | "fees"> | null = null;
  let tripRealized = 0;
  let tripFees = 0;
  for (let i = 0; i < fills.length; i++) {
    const fill = fills[i]!;
    const fee = fees.units[i]!;
    const qty = quantities.units[i]!;
    const price = prices.units[i]!;
    const t = fill.time.getTime();
    feesPaid += fee;
    if (!safeInteger(feesPaid) || !(qty > 0) || !(t >= 0 && t < PERIOD_END)) return null;
    const selling = fill.side !== "BUY";
    if (quantity === 0) {
      entry = price;
      quantity = selling ? -qty : qty;
      trip = {
        direction: selling ? "SHORT" : "LONG",
        openedAt: fill.time,
        quantity: fill.quantity,
      };
      tripRealized = 0;
      tripFees = fee;
      continue;
    }
    // adding to the trip, or closing more than it holds: the Decimal path's case
    if (quantity < 0 === selling || qty > Math.abs(quantity)) return null;
    const move = price - entry;
    const gross = move * qty;
    tripRealized += quantity < 0 ? -gross : gross;
    tripFees += fee;
    quantity = selling ? quantity - qty : quantity + qty;
    if (
      !safeInteger(move) ||
      !safeInteger(gross) ||
      !safeInteger(tripRealized) ||
      !safeInteger(tripFees)
    )
      return null;
    if (quantity !== 0) continue;
    const realizedNet = tripRealized * toNetR;
    const feesNet = tripFees * toNetD;
    const net = realizedNet - feesNet;
    if (!safeInteger(realizedNet) || !safeInteger(feesNet) || !safeInteger(net)) return null;
    closed.push({
      direction: trip!.direction,
      openedAt: trip!.openedAt,
      closedAt: fill.time,
      quantity: trip!.quantity,
      realized: decimalOfScaled(tripRealized, r),
      fees: decimalOfScaled(tripFees, d),
      net: decimalOfScaled(net, m),
    });
    if (net > 0) {
      wins++;
      grossProfit += net;
    } else if (net < 0) {
      losses++;
      losersNet += net;
    }
    if (!safeInteger(grossProfit) || !safeInteger(losersNet)) return null;
    trip = null;
  }

  const trades = closed.length;
  return {
    closed,
    open:
      trip && quantity !== 0
        ? {
            direction: trip.direction,
            openedAt: trip.openedAt,
            quantity: decimalOfScaled(Math.abs(quantity), q),
            realized: decimalOfScaled(tripRealized, r),
            fees: decimalOfScaled(tripFees, d),
          }
        : null,
    trades,
    wins,
    losses,
    // the very expressions trips.ts has, on the same values
    winRatePct: trades ? ZERO.plus(wins).div(trades).mul(100) : null,
    averageWin: wins ? decimalOfScaled(grossProfit, m).div(wins) : null,
    averageLoss: losses ? decimalOfScaled(losersNet, m).div(losses) : null,
    feesPaid: decimalOfScaled(feesPaid, d),
  };
}
