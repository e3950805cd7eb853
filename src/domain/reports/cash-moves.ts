// A portfolio's cash ledger as the equity reconstruction reads it.
import type { Db } from "../../db/client.ts";
import { fromDb } from "../../lib/decimal.ts";
import type { EquityCashMove } from "./equity-curve.ts";

/**
 * The portfolio's cash rows up to `to` (and from `since`, when given), in time order. A cash row
 * takes effect when it was written, except a trade's settlement and fee, which count at the
 * trade's execution time so that cash and position move together.
 */
export async function loadCashMoves(
  db: Db,
  portfolioId: number,
  range: { since?: Date | undefined; to: Date },
): Promise<EquityCashMove[]> {
  const { since, to } = range;
  const rows = await db.cashTransaction.findMany({
    where: { portfolioId, ...(since ? { createdAt: { gte: since } } : {}) },
    select: {
      currency: true,
      amount: true,
      createdAt: true,
      trade: { select: { execTime: true } },
    },
    orderBy: { id: "asc" },
  });
  return rows
    .map((r) => ({
      currency: r.currency,
      amount: fromDb(r.amount),
      at: r.trade?.execTime ?? r.createdAt,
    }))
    .filter((m) => m.at.getTime() <= to.getTime())
    .filter((m) => !since || m.at.getTime() >= since.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}
