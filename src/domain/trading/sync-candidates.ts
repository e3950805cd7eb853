// Which accounts the order-sync job may have work for: active accounts with an open order in the
// domain or on the paper venue's book, and live accounts with stored keys (their fills and orders
// placed outside TradeDesk are caught up even when nothing is open here). The job decides how
// often the idle ones are visited (src/jobs/order-sync.ts).
import type { Db } from "../../db/client.ts";
import { OPEN_STATUSES } from "../orders/order-status.ts";

export interface SyncCandidate {
  accountId: number;
  brokerCode: string;
  isPaper: boolean;
  /** an order of one of its portfolios is open here */
  hasOpenOrder: boolean;
}

/** The candidates, in account id order. */
export async function syncCandidates(db: Db): Promise<SyncCandidate[]> {
  const open = { status: { in: [...OPEN_STATUSES] } };
  const rows = await db.account.findMany({
    where: {
      isActive: true,
      OR: [
        { portfolios: { some: { orders: { some: open } } } },
        { paperOrders: { some: open } },
        { broker: { isPaper: false }, credential: { isNot: null } },
      ],
    },
    select: {
      id: true,
      broker: { select: { code: true, isPaper: true } },
      portfolios: { where: { orders: { some: open } }, select: { id: true }, take: 1 },
    },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => ({
    accountId: r.id,
    brokerCode: r.broker.code,
    isPaper: r.broker.isPaper,
    hasOpenOrder: r.portfolios.length > 0,
  }));
}
