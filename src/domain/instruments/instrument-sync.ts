// Keeps the instruments table in line with what a live exchange lists: new symbols are added,
// changed trading rules (tick, lot, minimum quantity and notional, the exchange's exact values)
// updated, relisted ones reactivated, and delisted ones deactivated (never deleted: orders,
// trades and positions still point at them). Instruments of other exchanges are left alone.
import { randomUUID } from "node:crypto";
import { Decimal, fromDb, toDb } from "../../lib/decimal.ts";
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import type { InstrumentSpec } from "../../market/catalog.ts";
import type { DomainContext } from "../context.ts";
import type { InstrumentService } from "./instrument-service.ts";

export interface InstrumentSyncResult {
  created: number;
  updated: number;
  deactivated: number;
  unchanged: number;
}

const RULES = ["tickSize", "lotSize", "minQty", "minNotional"] as const;

export class InstrumentSync {
  constructor(
    private readonly ctx: DomainContext,
    private readonly instruments: InstrumentService,
  ) {}

  /** Applies `exchange`'s full listing; an empty listing changes nothing (a broken answer). */
  async apply(exchange: string, listing: readonly InstrumentSpec[]): Promise<InstrumentSyncResult> {
    const result: InstrumentSyncResult = { created: 0, updated: 0, deactivated: 0, unchanged: 0 };
    if (listing.length === 0) return result;
    const rows = await this.ctx.db.instrument.findMany({ where: { exchange } });
    const bySymbol = new Map(rows.map((r) => [r.symbol, r]));
    const listed = new Set<string>();
    // a first sync adds thousands of symbols (all of Binance's spot pairs): one insert for all
    const fresh: Prisma.InstrumentCreateManyInput[] = [];
    for (const spec of listing) {
      // a symbol listed twice is taken once
      if (spec.exchange !== exchange || listed.has(spec.symbol)) continue;
      listed.add(spec.symbol);
      const row = bySymbol.get(spec.symbol);
      const rules = {
        tickSize: toDb(spec.tickSize),
        lotSize: toDb(spec.lotSize),
        minQty: toDb(spec.minQty),
        minNotional: toDb(spec.minNotional),
      };
      if (!row) {
        fresh.push({
          uid: randomUUID(),
          symbol: spec.symbol,
          exchange,
          name: spec.name,
          assetType: spec.assetType,
          baseAsset: spec.baseAsset,
          currency: spec.currency,
          ...rules,
        });
        continue;
      }
      const same =
        row.isActive &&
        RULES.every((k) => fromDb(row[k]).eq(new Decimal(rules[k]))) &&
        row.currency === spec.currency;
      if (same) {
        result.unchanged++;
        continue;
      }
      // the name stays: the catalog's ("Bitcoin / TetherUS") says more than the exchange's
      await this.ctx.db.instrument.update({
        where: { id: row.id },
        data: { ...rules, currency: spec.currency, isActive: true },
      });
      result.updated++;
    }
    if (fresh.length) {
      await this.ctx.db.instrument.createMany({ data: fresh });
      result.created = fresh.length;
    }
    const delisted = rows.filter((r) => r.isActive && !listed.has(r.symbol)).map((r) => r.id);
    if (delisted.length) {
      await this.ctx.db.instrument.updateMany({
        where: { id: { in: delisted } },
        data: { isActive: false },
      });
      result.deactivated = delisted.length;
    }
    this.instruments.invalidate();
    return result;
  }
}
