// The round trips of a backtest's fills and their statistics: the figures trade-stats'
// roundTrips and tradeStatistics give over the same fills (the definition /stats uses for live
// trading), computed in one pass for the backtest's one symbol.
//
// Why not call them: a year of minutes makes ~9,000 fills, and the general path (a StatTrade per
// fill, a position keyed per instrument and strategy, the position's running fees and realized
// PnL, per-symbol realized sums, then filters and sums per currency, symbol and exit reason)
// made the summary a fifth of B8's run and most of its garbage. Here each fill costs the
// position's own arithmetic (applyFill's, operation for operation: the same Decimals come out)
// and the round trip's sums; the statistics the report shows are summed as the trips close. A
// test compares both paths on whole backtests and on fills that add, reduce and cross zero.
//
// Where applyFill's arithmetic is an identity it is skipped, the result being the same Decimal
// value: from flat, |0| × average + quantity × price is quantity × price (adding zero gives the
// other operand, already at the precision) and 0 + quantity is the quantity; a long's realized
// PnL is not multiplied by its direction, 1. Signs are read with isZero/isPos/isNeg, as gt(0) and
// lt(0) answer, without the Decimal those build for their argument.
import { Decimal, ZERO, minDec, plusDec, roundForStorage } from "../../lib/decimal.ts";
import type { OpenTrip } from "../../domain/trade-stats/round-trips.ts";
import type { BacktestFill, BacktestMetrics, BacktestTrade } from "./types.ts";
import { type FillUnits, tripsInUnits } from "./trips-in-units.ts";

/** roundTrips' period: every fill of the run (from the epoch to the last representable date). */
const PERIOD_START = 0;
const PERIOD_END = 8.64e15;

/**
 * tradeStatistics' counts and averages of the closed trips, and every fill's fee summed in order
 * (feesPaid), as the metrics report them.
 */
export interface TripSummary extends Pick<
  BacktestMetrics,
  "trades" | "wins" | "losses" | "winRatePct" | "averageWin" | "averageLoss" | "feesPaid"
> {
  /** closed round trips, in closing order */
  closed: BacktestTrade[];
  /** the round trip still open after the last fill */
  open: Omit<BacktestTrade, "closedAt" | "net"> | null;
}

/** |x| without the copy abs() makes of a value that is not negative (the same digits). */
const magnitude = (x: Decimal): Decimal => (x.isNeg() ? x.abs() : x);

function openTrip(time: Date, quantity: Decimal, fee: Decimal): OpenTrip {
  return {
    direction: quantity.isNeg() ? "SHORT" : "LONG",
    openedAt: time,
    peakQuantity: magnitude(quantity),
    realized: ZERO,
    fees: fee,
  };
}

/**
 * applyFill's average from flat, quantity × price / quantity, without its 60-digit division when
 * it is the price itself: the product is exact when the two have at most `precision` significant
 * digits between them, and an exact product divided by a non-zero quantity is exactly the price,
 * which has at most `precision` digits — decimal.js rounds correctly, so it returns that value,
 * and a value's Decimal is unique (the same digits and exponent; the sign is the price's, a fill's
 * price being positive — a zero or negative one takes the division). A test compares both on
 * the fills of whole backtests and on long-digit values.
 */
export function entryPrice(quantity: Decimal, price: Decimal): Decimal {
  const positive = price.s === 1 && !price.isZero() && !quantity.isZero();
  if (positive && quantity.sd() + price.sd() <= Decimal.precision) return price;
  return quantity.mul(price).div(quantity);
}

/**
 * The round trips of a backtest's fills: in integer units where every trip is opened by one fill
 * and reduced to flat (trips-in-units.ts, the same figures; `units`, the fills' own units when
 * the integer lane made them all), else by the Decimal path below.
 */
export function tripsOf(fills: readonly BacktestFill[], units?: FillUnits | null): TripSummary {
  return tripsInUnits(fills, units) ?? tripsByDecimal(fills);
}

/** tripsOf on Decimals, for any fills (adding to a trip, crossing zero). */
export function tripsByDecimal(fills: readonly BacktestFill[]): TripSummary {
  const closed: BacktestTrade[] = [];
  // the position as applyFill keeps it (its fees and realized sums are not needed here)
  let quantity = ZERO;
  let avgPrice = ZERO;
  let trip: OpenTrip | null = null;
  let feesPaid = ZERO;
  let wins = 0;
  let losses = 0;
  // tradeStatistics sums the winners' and the losers' net from zero in closing order
  let grossProfit = ZERO;
  let losersNet = ZERO;
  for (let i = 0; i < fills.length; i++) {
    const fill = fills[i]!;
    feesPaid = feesPaid.plus(fill.fee);
    const t = fill.time.getTime();
    if (t >= PERIOD_END) continue;

    // applyFill
    const before = quantity;
    // the signed quantity −q of a sell is made only to open a short from flat: a position plus
    // −q is its minus q (decimal.js adds a negative by subtracting, and subtracts a negative by
    // adding: the same operation on the same digits); a fill's quantity is positive, so the
    // delta's sign is the side's
    const selling = fill.side !== "BUY";
    let realized: Decimal;
    if (before.isZero()) {
      avgPrice = roundForStorage(entryPrice(fill.quantity, fill.price));
      realized = ZERO;
      quantity = selling ? fill.quantity.neg() : fill.quantity;
    } else if (before.isNeg() === selling) {
      const nextQty = selling ? before.minus(fill.quantity) : before.plus(fill.quantity);
      const cost = before.abs().mul(avgPrice).plus(fill.quantity.mul(fill.price));
      avgPrice = roundForStorage(cost.div(nextQty.abs()));
      realized = ZERO;
      quantity = nextQty;
    } else {
      const closedQty = minDec(magnitude(before), fill.quantity);
      const gross = fill.price.minus(avgPrice).mul(closedQty);
      realized = roundForStorage(before.isNeg() ? gross.mul(-1) : gross);
      const nextQty = selling ? before.minus(fill.quantity) : before.plus(fill.quantity);
      if (nextQty.isZero()) avgPrice = ZERO;
      else if (nextQty.isNeg() !== before.isNeg()) avgPrice = fill.price;
      quantity = nextQty;
    }
    const after = quantity;

    // roundTrips
    const crossed = !before.isZero() && !after.isZero() && before.isNeg() !== after.isNeg();
    const closingFee = crossed
      ? roundForStorage(fill.fee.mul(before.abs()).div(fill.quantity))
      : fill.fee;
    if (before.isZero()) {
      trip = openTrip(fill.time, after, fill.fee);
      continue;
    }
    const current = trip!;
    current.fees = current.fees.plus(closingFee);
    // plusDec: a trip's first realized amount added to its zero is that amount
    current.realized = plusDec(current.realized, realized);
    if (!after.isZero() && !crossed) {
      if (after.abs().gt(current.peakQuantity)) current.peakQuantity = after.abs();
      continue;
    }
    if (t >= PERIOD_START) {
      const net = current.realized.minus(current.fees);
      closed.push({
        direction: current.direction,
        openedAt: current.openedAt,
        closedAt: fill.time,
        quantity: current.peakQuantity,
        realized: current.realized,
        fees: current.fees,
        net,
      });
      if (net.isZero()) {
        // even: neither a win nor a loss
      } else if (net.isPos()) {
        wins++;
        grossProfit = grossProfit.plus(net);
      } else {
        losses++;
        losersNet = losersNet.plus(net);
      }
    }
    trip = crossed ? openTrip(fill.time, after, fill.fee.minus(closingFee)) : null;
  }

  const trades = closed.length;
  return {
    closed,
    open:
      trip && !quantity.isZero()
        ? {
            direction: trip.direction,
            openedAt: trip.openedAt,
            quantity: quantity.abs(),
            realized: trip.realized,
            fees: trip.fees,
          }
        : null,
    trades,
    wins,
    losses,
    winRatePct: trades ? ZERO.plus(wins).div(trades).mul(100) : null,
    averageWin: wins ? grossProfit.div(wins) : null,
    // tradeStatistics: grossLoss = −Σ losers' net, averageLoss = −grossLoss / losers
    averageLoss: losses ? losersNet.div(losses) : null,
    feesPaid,
  };
}
