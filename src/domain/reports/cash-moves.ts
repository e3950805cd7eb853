// A portfolio's cash ledger as the equity reconstruction reads it.
import type { Db } from "../../db/client.ts";
import { fromDb } from "../../lib/decimal.ts";
import type { EquityCashMove } from "./equity-curve.ts";

/**
 * The portfolio's cash rows up to `to` (and from `since`, when given), in time order. A cash row
 * takes effect when it was written, except a trade's settlement and fee, which count at the
 * trade's execution time so that cash and position move together.
 *
 * `tradeTimes`: the execution times of trades the caller reads anyway (the equity history reads
 * the same window's trades); a row's trade found there is not read again, the others are read by
 * id, each once. An include of the trade sent one parameter per cash row (two rows per trade, 400
 * ids for a day at B5's full size) for what the caller already held.
 */
export async function loadCashMoves(
  db: Db,
  portfolioId: number,
  range: {
    since?: Date | undefined;
    to: Date;
    tradeTimes?: Promise<ReadonlyMap<number, Date>>;
  },
): Promise<EquityCashMove[]> {
  const { since, to } = range;
  const rows = await db.cashTransaction.findMany({
    where: { portfolioId, ...(since ? { createdAt: { gte: since } } : {}) },
    select: { currency: true, amount: true, createdAt: true, tradeId: true },
    orderBy: { id: "asc" },
  });
  const known = (await range.tradeTimes) ?? new Map<number, Date>();
  const missing = [
    ...new Set(
      rows.flatMap((r) => (r.tradeId !== null && !known.has(r.tradeId) ? [r.tradeId] : [])),
    ),
  ];
  const read = new Map<number, Date>();
  if (missing.length) {
    const trades = await db.trade.findMany({
      where: { id: { in: missing } },
      select: { id: true, execTime: true },
    });
    for (const t of trades) read.set(t.id, t.execTime);
  }
  const tradeTime = (id: number | null) =>
    id === null ? undefined : (known.get(id) ?? read.get(id));
  return rows
    .map((r) => ({
      currency: r.currency,
      amount: fromDb(r.amount),
      at: tradeTime(r.tradeId) ?? r.createdAt,
    }))
    .filter((m) => m.at.getTime() <= to.getTime())
    .filter((m) => !since || m.at.getTime() >= since.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}
