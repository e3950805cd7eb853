// The portfolio's fills as the trade statistics read them.
import type { Db } from "../../db/client.ts";
import { positionFill, storedTradeFee } from "../positions/fill-fee.ts";
import { TRADE_REPLAY_SELECT } from "../trades/replay-select.ts";
import { exitReasonOf } from "./exit-reason.ts";
import type { StatTrade } from "./round-trips.ts";

/**
 * The portfolio's fills executed before `to`, as the position calculator needs them: in
 * ingestion order (the order the positions applied them).
 */
export async function loadStatTrades(db: Db, portfolioId: number, to: Date): Promise<StatTrade[]> {
  const rows = await db.trade.findMany({
    where: { portfolioId, execTime: { lt: to } },
    select: {
      ...TRADE_REPLAY_SELECT,
      strategyId: true,
      instrument: { select: { symbol: true, currency: true, baseAsset: true } },
      order: { select: { type: true, strategyId: true, clientOrderId: true, meta: true } },
    },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => ({
    instrumentId: r.instrumentId,
    symbol: r.instrument.symbol,
    currency: r.instrument.currency,
    strategyId: r.strategyId,
    // as on the position: the fee by the asset it was charged in (fill-fee.ts)
    ...positionFill(storedTradeFee(r), r.instrument),
    execTime: r.execTime,
    exitReason: exitReasonOf(r.order),
  }));
}
