// Closed trades (round trips) and realized PnL from a portfolio's fills (pure: no database).
//
// What a "closed trade" is here: positions are average-cost and keyed like the materialized
// positions (instrument and strategy-or-none). A round trip opens with the fill that takes a
// position away from flat and closes with the fill that brings it back to zero. In between,
// fills that add move the average and fills that reduce realize PnL against it (a partial close
// is part of its round trip, not a trade of its own). A fill that crosses zero closes the round
// trip with the part that flattens it and opens the next one, in the other direction, with the
// rest; its fee is split between the two in proportion to the quantities.
//
// A round trip's PnL is its realized PnL (gross, as the position computes it) less every fee it
// paid: entry, adds and exits. It is a win when that is above zero, a loss below, even at zero.
// It counts in the period in which it closed (even when it opened earlier); its holding time runs
// from the opening fill to the closing one. Positions still open are not closed trades: their
// partial closes are in the realized PnL of the period, and their value in the unrealized.
//
// Realized PnL of a period, per symbol: what the period's fills realized against the average,
// less the fees the period's fills paid. Summed over symbols it is the portfolio's realized PnL
// (the figure /pnl shows as realized − fees).
import { type Decimal, ZERO, roundForStorage } from "../../lib/decimal.ts";
import { FLAT, type PositionState, type Side, applyFill } from "../positions/position-math.ts";
import type { ExitReason } from "./exit-reason.ts";

export interface StatTrade {
  instrumentId: number;
  symbol: string;
  /** the instrument's quote currency: PnL is in it */
  currency: string;
  strategyId: number | null;
  side: Side;
  quantity: Decimal;
  price: Decimal;
  /** the fee in the quote currency (a fee paid in another currency counts as zero, as positions do) */
  fee: Decimal;
  execTime: Date;
  /** why the position was reduced, had this fill closed it (from the fill's order) */
  exitReason: ExitReason;
}

export interface RoundTrip {
  instrumentId: number;
  symbol: string;
  currency: string;
  strategyId: number | null;
  direction: "LONG" | "SHORT";
  openedAt: Date;
  closedAt: Date;
  /** the largest size the position reached (absolute) */
  peakQuantity: Decimal;
  /** realized against the average over the whole round trip, gross of fees */
  realized: Decimal;
  fees: Decimal;
  /** realized − fees */
  net: Decimal;
  exitReason: ExitReason;
}

/** One symbol's realized PnL within a period. */
export interface SymbolRealized {
  instrumentId: number;
  symbol: string;
  currency: string;
  /** gross realized by the period's fills */
  realized: Decimal;
  /** fees the period's fills paid */
  fees: Decimal;
  /** realized − fees */
  net: Decimal;
  /** fills in the period */
  fills: number;
}

export interface RoundTripResult {
  /** round trips closed within [from, to), in closing order */
  closed: RoundTrip[];
  /** per symbol, symbols with a fill in the period, by symbol */
  realized: SymbolRealized[];
  /** the round trips still open at `to` */
  open: Array<Omit<RoundTrip, "closedAt" | "exitReason" | "net"> & { quantity: Decimal }>;
}

/** a round trip while it is open (the backtest's one-pass summary keeps the same) */
export interface OpenTrip {
  direction: "LONG" | "SHORT";
  openedAt: Date;
  peakQuantity: Decimal;
  realized: Decimal;
  fees: Decimal;
}

/**
 * Replays the fills (in the order the positions applied them: ingestion order) from flat and
 * collects what closed in [from, to). Fills at or after `to` are ignored.
 */
export function roundTrips(trades: Iterable<StatTrade>, from: Date, to: Date): RoundTripResult {
  const positions = new Map<
    string,
    { state: PositionState; trip: OpenTrip | null; first: StatTrade }
  >();
  const realized = new Map<number, SymbolRealized>();
  const closed: RoundTrip[] = [];
  const start = from.getTime();
  const end = to.getTime();
  for (const trade of trades) {
    const t = trade.execTime.getTime();
    if (t >= end) continue;
    const key = `${trade.instrumentId}:${trade.strategyId ?? ""}`;
    let pos = positions.get(key);
    if (!pos) {
      pos = { state: FLAT, trip: null, first: trade };
      positions.set(key, pos);
    }
    const before = pos.state.quantity;
    const effect = applyFill(pos.state, trade);
    pos.state = effect.next;
    const after = effect.next.quantity;
    const inPeriod = t >= start;
    if (inPeriod) {
      const r = realized.get(trade.instrumentId) ?? {
        instrumentId: trade.instrumentId,
        symbol: trade.symbol,
        currency: trade.currency,
        realized: ZERO,
        fees: ZERO,
        net: ZERO,
        fills: 0,
      };
      r.realized = r.realized.plus(effect.realized);
      r.fees = r.fees.plus(trade.fee);
      r.net = r.realized.minus(r.fees);
      r.fills++;
      realized.set(trade.instrumentId, r);
    }

    const crossed = !before.isZero() && !after.isZero() && before.isNeg() !== after.isNeg();
    // the part of the fee that belongs to the closing side of a crossing fill
    const closingFee = crossed
      ? roundForStorage(trade.fee.mul(before.abs()).div(trade.quantity))
      : trade.fee;
    if (before.isZero()) {
      pos.trip = openTrip(trade, after, trade.fee);
      continue;
    }
    const trip = pos.trip!;
    trip.fees = trip.fees.plus(closingFee);
    trip.realized = trip.realized.plus(effect.realized);
    if (!after.isZero() && !crossed) {
      if (after.abs().gt(trip.peakQuantity)) trip.peakQuantity = after.abs();
      continue;
    }
    if (inPeriod) {
      closed.push({
        instrumentId: trade.instrumentId,
        symbol: trade.symbol,
        currency: trade.currency,
        strategyId: trade.strategyId,
        direction: trip.direction,
        openedAt: trip.openedAt,
        closedAt: trade.execTime,
        peakQuantity: trip.peakQuantity,
        realized: trip.realized,
        fees: trip.fees,
        net: trip.realized.minus(trip.fees),
        exitReason: trade.exitReason,
      });
    }
    pos.trip = crossed ? openTrip(trade, after, trade.fee.minus(closingFee)) : null;
  }
  const open: RoundTripResult["open"] = [];
  for (const pos of positions.values()) {
    if (!pos.trip || pos.state.quantity.isZero()) continue;
    open.push({
      instrumentId: pos.first.instrumentId,
      symbol: pos.first.symbol,
      currency: pos.first.currency,
      strategyId: pos.first.strategyId,
      direction: pos.trip.direction,
      openedAt: pos.trip.openedAt,
      peakQuantity: pos.trip.peakQuantity,
      realized: pos.trip.realized,
      fees: pos.trip.fees,
      quantity: pos.state.quantity,
    });
  }
  return {
    closed,
    realized: [...realized.values()].sort((a, b) => a.symbol.localeCompare(b.symbol)),
    open,
  };
}

function openTrip(trade: StatTrade, quantity: Decimal, fee: Decimal): OpenTrip {
  return {
    direction: quantity.isNeg() ? "SHORT" : "LONG",
    openedAt: trade.execTime,
    peakQuantity: quantity.abs(),
    realized: ZERO,
    fees: fee,
  };
}
