// What a live gateway needs to know about its account's orders that the exchange cannot tell it
// cheaply: the symbol of an order asked for by id (Binance looks orders up per symbol), and the
// symbols the account has traded here, each since when (where fill fetching must look).
import type { Db } from "../../db/client.ts";
import type { OrderRef } from "../types.ts";

export interface AccountSymbols {
  /** the symbol of one of the account's orders, by either id; null when none matches */
  symbolOf(ref: OrderRef): Promise<string | null>;
  /** every symbol the account has orders on, with the time (ms) of its first order */
  tradedSince(): Promise<Map<string, number>>;
}

export class DbAccountSymbols implements AccountSymbols {
  constructor(
    private readonly db: Db,
    private readonly accountId: number,
  ) {}

  async symbolOf(ref: OrderRef): Promise<string | null> {
    const or = [
      ...(ref.clientOrderId ? [{ clientOrderId: ref.clientOrderId }] : []),
      ...(ref.brokerOrderId ? [{ brokerOrderId: ref.brokerOrderId }] : []),
    ];
    if (!or.length) return null;
    const row = await this.db.order.findFirst({
      where: { portfolio: { accountId: this.accountId }, OR: or },
      select: { instrument: { select: { symbol: true } } },
    });
    return row?.instrument.symbol ?? null;
  }

  async tradedSince(): Promise<Map<string, number>> {
    const groups = await this.db.order.groupBy({
      by: ["instrumentId"],
      where: { portfolio: { accountId: this.accountId } },
      _min: { placedAt: true },
    });
    if (!groups.length) return new Map();
    const instruments = await this.db.instrument.findMany({
      where: { id: { in: groups.map((g) => g.instrumentId) } },
      select: { id: true, symbol: true },
    });
    const symbolById = new Map(instruments.map((i) => [i.id, i.symbol]));
    const out = new Map<string, number>();
    for (const g of groups) {
      const symbol = symbolById.get(g.instrumentId);
      const first = g._min.placedAt;
      if (!symbol || !first) continue;
      const t = first.getTime();
      out.set(symbol, Math.min(out.get(symbol) ?? t, t));
    }
    return out;
  }
}
