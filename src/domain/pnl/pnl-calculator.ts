// PnL over a period, computed from trades (pure: no database, no clock).
//
// For each instrument the trades are replayed from the first one (average cost depends on the
// whole history); what happened inside [from, to) is summed:
//   realized  = PnL realized by the period's fills (gross of fees)
//   fees      = fees paid by the period's fills (quote currency)
//   unrealized change = unrealized at `to` − unrealized at `from` (marks at both ends)
//   net       = realized + unrealized change − fees
// Together these make net = change in (cash + marked position value) over the period, which is
// what a trader means by "how much did I make this week".
import { type Decimal, ZERO } from "../../lib/decimal.ts";
import {
  FLAT,
  type FillInput,
  type PositionState,
  applyFill,
  unrealizedPnl,
} from "../positions/position-math.ts";

export interface PnlTrade extends FillInput {
  instrumentId: number;
  execTime: Date;
}

export interface InstrumentPnl {
  instrumentId: number;
  realized: Decimal;
  fees: Decimal;
  unrealizedChange: Decimal;
  net: Decimal;
  /** position at the end of the period */
  position: PositionState;
  trades: number;
}

export interface PeriodMarks {
  /** mark price at the start of the period (null: no position then, or no price) */
  start(instrumentId: number): Decimal | null;
  /** mark price at the end of the period */
  end(instrumentId: number): Decimal | null;
}

/**
 * Trades must be in ingestion order (the order positions applied them). `initial` holds the
 * positions left by earlier trades that are not passed (a checkpoint's folded prefix, all
 * executed before `from`).
 */
export function periodPnl(
  trades: Iterable<PnlTrade>,
  from: Date,
  to: Date,
  marks: PeriodMarks,
  initial?: ReadonlyMap<number, PositionState>,
): InstrumentPnl[] {
  const byInstrument = new Map<
    number,
    {
      state: PositionState;
      atStart: PositionState | null;
      realized: Decimal;
      fees: Decimal;
      trades: number;
    }
  >();
  for (const [instrumentId, state] of initial ?? []) {
    byInstrument.set(instrumentId, { state, atStart: null, realized: ZERO, fees: ZERO, trades: 0 });
  }
  for (const trade of trades) {
    if (trade.execTime >= to) continue;
    let acc = byInstrument.get(trade.instrumentId);
    if (!acc) {
      acc = { state: FLAT, atStart: null, realized: ZERO, fees: ZERO, trades: 0 };
      byInstrument.set(trade.instrumentId, acc);
    }
    const inPeriod = trade.execTime >= from;
    if (inPeriod && acc.atStart === null) acc.atStart = acc.state;
    const effect = applyFill(acc.state, trade);
    acc.state = effect.next;
    if (inPeriod) {
      acc.realized = acc.realized.plus(effect.realized);
      acc.fees = acc.fees.plus(trade.fee);
      acc.trades++;
    }
  }
  const out: InstrumentPnl[] = [];
  for (const [instrumentId, acc] of byInstrument) {
    const startState = acc.atStart ?? acc.state; // no trade in the period: the position held throughout
    const startMark = marks.start(instrumentId);
    const endMark = marks.end(instrumentId);
    const unrealizedStart =
      startState.quantity.isZero() || !startMark ? ZERO : unrealizedPnl(startState, startMark);
    const unrealizedEnd =
      acc.state.quantity.isZero() || !endMark ? ZERO : unrealizedPnl(acc.state, endMark);
    // a position opened inside the period starts from zero unrealized
    const unrealizedChange = unrealizedEnd.minus(unrealizedStart);
    if (acc.trades === 0 && acc.state.quantity.isZero()) continue;
    out.push({
      instrumentId,
      realized: acc.realized,
      fees: acc.fees,
      unrealizedChange,
      net: acc.realized.plus(unrealizedChange).minus(acc.fees),
      position: acc.state,
      trades: acc.trades,
    });
  }
  return out.sort((a, b) => a.instrumentId - b.instrumentId);
}
