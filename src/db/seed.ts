// Reference data every installation needs: the brokers and the built-in instrument list.
// Idempotent (upserts by natural key), so it runs on every start and in `npm run db:seed`.
import { randomUUID } from "node:crypto";
import { toDb } from "../lib/decimal.ts";
import { BROKER_CATALOG, INSTRUMENT_CATALOG, type InstrumentSpec } from "../market/catalog.ts";
import type { Db } from "./client.ts";

export interface SeedResult {
  brokers: number;
  instruments: number;
}

export async function seedReferenceData(
  prisma: Db,
  instruments: readonly InstrumentSpec[] = INSTRUMENT_CATALOG,
): Promise<SeedResult> {
  for (const broker of BROKER_CATALOG) {
    await prisma.broker.upsert({
      where: { code: broker.code },
      create: { ...broker },
      update: { name: broker.name, isPaper: broker.isPaper },
    });
  }
  for (const spec of instruments) {
    const rules = {
      name: spec.name,
      assetType: spec.assetType,
      baseAsset: spec.baseAsset,
      currency: spec.currency,
      tickSize: toDb(spec.tickSize),
      lotSize: toDb(spec.lotSize),
      minQty: toDb(spec.minQty),
      minNotional: toDb(spec.minNotional),
    };
    await prisma.instrument.upsert({
      where: { symbol_exchange: { symbol: spec.symbol, exchange: spec.exchange } },
      create: { uid: randomUUID(), symbol: spec.symbol, exchange: spec.exchange, ...rules },
      update: rules,
    });
  }
  return { brokers: BROKER_CATALOG.length, instruments: instruments.length };
}
