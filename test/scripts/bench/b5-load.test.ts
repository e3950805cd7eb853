// B5's loading paths are the real ingestion, only faster: the same small workload ingested fill
// by fill through TradeService.ingestFill on one database, through the bench's per-fill raw
// ingester on another and through its bulk path on a third ends in the same orders, trades,
// positions, cash ledger and audit trail, row by row, on SQLite and on PostgreSQL. And the plan
// reader flags what it must.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIX_USERS, mixOwners, scannedTables } from "../../../scripts/bench/b5-load.ts";
import { type MixResult, createMixApp, runMix } from "../../../scripts/bench/load-mix.ts";
import {
  type LoadSize,
  type LoadedPortfolio,
  bulkIngest,
  generate,
  loadServices,
  loadedOwners,
  rawIngest,
} from "../../../scripts/bench/load-workload.ts";
import { sqlitePath } from "../../../src/db/url.ts";
import { SYSTEM } from "../../../src/domain/users/actor.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../../support/db.ts";

const SIZE: LoadSize = { users: 2, portfolios: 2, tradesPerDay: 8, days: 3 };

const target = (t: TestDatabase) => ({
  provider: t.provider,
  url: t.url,
  file: t.provider === "sqlite" ? sqlitePath(t.url) : null,
});

/** What ingestion writes, without the random uids and the wall-clock bookkeeping times. */
async function state(t: TestDatabase) {
  const db = t.db.prisma;
  const s = (v: unknown) =>
    v === null ? null : String((v as { toFixed?: () => string }).toFixed?.() ?? v);
  return {
    orders: (await db.order.findMany({ orderBy: { id: "asc" } })).map((o) => [
      o.id,
      o.portfolioId,
      o.instrumentId,
      o.strategyId,
      o.side,
      o.status,
      s(o.quantity),
      s(o.filledQuantity),
      s(o.avgFillPrice),
    ]),
    trades: (await db.trade.findMany({ orderBy: { id: "asc" } })).map((x) => [
      x.id,
      x.strategyId,
      x.meta,
      x.portfolioId,
      x.orderId,
      x.instrumentId,
      x.side,
      s(x.quantity),
      s(x.price),
      s(x.fee),
      x.feeCurrency,
      x.execTime.toISOString(),
      x.brokerTradeId,
    ]),
    positions: (
      await db.position.findMany({ orderBy: [{ portfolioId: "asc" }, { instrumentId: "asc" }] })
    ).map((p) => [
      p.portfolioId,
      p.instrumentId,
      p.strategyKey,
      p.strategyId,
      s(p.quantity),
      s(p.avgPrice),
      s(p.realizedPnl),
      s(p.fees),
      p.openedAt?.toISOString() ?? null,
    ]),
    cash: (await db.cashTransaction.findMany({ orderBy: { id: "asc" } })).map((c) => [
      c.id,
      c.accountId,
      c.portfolioId,
      c.type,
      c.currency,
      s(c.amount),
      s(c.balanceAfter),
      c.tradeId,
      c.note,
      c.createdAt.toISOString(),
    ]),
    // every fill's audit row in full (the other entries come from the same service calls)
    fills: (
      await db.auditLog.findMany({ where: { entityType: "TRADE" }, orderBy: { id: "asc" } })
    ).map((a) => [a.id, a.actorId, a.entityId, a.action, a.details, a.correlationId]),
    audit: (
      await db.auditLog.groupBy({
        by: ["entityType", "action"],
        _count: { _all: true },
        orderBy: [{ entityType: "asc" }, { action: "asc" }],
      })
    ).map((g) => [g.entityType, g.action, g._count._all]),
  };
}

describe.each(PROVIDERS)("B5 bulk path on %s", (provider) => {
  let viaService: TestDatabase;
  let viaRaw: TestDatabase;
  let viaBulk: TestDatabase;
  beforeAll(async () => {
    [viaService, viaRaw, viaBulk] = await Promise.all([
      createTestDatabase(provider),
      createTestDatabase(provider),
      createTestDatabase(provider),
    ]);
  });
  afterAll(async () => {
    await viaService?.drop();
    await viaRaw?.drop();
    await viaBulk?.drop();
  });

  it("writes exactly what TradeService.ingestFill writes", { timeout: 120_000 }, async () => {
    const services = loadServices(viaService.db);
    const owners = await generate(
      target(viaService),
      viaService.db,
      services,
      SIZE,
      async (days) => {
        for (const f of [...days].flat()) {
          await services.trades.ingestFill(SYSTEM, {
            portfolioId: f.portfolioId,
            instrumentId: f.instrumentId,
            side: f.side,
            quantity: f.quantity,
            price: f.price,
            fee: f.fee,
            execTime: f.execTime,
            brokerTradeId: f.brokerTradeId,
            orderId: f.orderId,
          });
        }
      },
    );
    await generate(
      target(viaRaw),
      viaRaw.db,
      loadServices(viaRaw.db),
      SIZE,
      rawIngest(target(viaRaw), () => {}),
    );
    expect(owners).toHaveLength(SIZE.users * SIZE.portfolios);
    // what --reuse measures a kept database with: the owners generate made, read back
    expect(await loadedOwners(viaService.db)).toEqual(owners);
    const expected = await state(viaService);
    const fills = SIZE.users * SIZE.portfolios * SIZE.tradesPerDay * SIZE.days;
    expect(expected.trades).toHaveLength(fills);
    // the workload exercises fills in both directions and open orders
    expect(new Set(expected.orders.map((o) => o[5]))).toEqual(
      new Set(["FILLED", "NEW", "PARTIALLY_FILLED"]),
    );
    expect(await state(viaRaw)).toEqual(expected);
  });

  it(
    "bulk-loads exactly what TradeService.ingestFill writes, across batches and statement chunks",
    { timeout: 120_000 },
    async () => {
      // batches of 45 fills: positions, orders and balances carried over from earlier batches;
      // at most 20 parameters a statement: every multi-row VALUES and IN list cut into several
      // statements (all of SQLite's; on PostgreSQL the positions' upsert and the reads, its
      // other rows go in through unnest)
      await generate(
        target(viaBulk),
        viaBulk.db,
        loadServices(viaBulk.db),
        SIZE,
        bulkIngest(target(viaBulk), () => {}, 45, 20),
      );
      const expected = await state(viaService);
      expect(expected.fills).toHaveLength(expected.trades.length);
      expect(expected.cash.length).toBeGreaterThan(expected.trades.length);
      expect(await state(viaBulk)).toEqual(expected);
    },
  );

  it(
    "runs the command mix through the bot: every command answered, none failed",
    { timeout: 120_000 },
    async () => {
      // on the bulk-loaded database: the owners again, as generate made them
      const owners = await loadedOwners(viaRaw.db);
      const app = await createMixApp(viaRaw.url);
      let result: MixResult;
      try {
        result = await runMix(app, owners, 1.5);
      } finally {
        await app.stop();
      }
      expect(result.users).toBe(SIZE.users);
      expect(result.firstErrors).toEqual([]);
      for (const f of result.figures) {
        expect(f.errors, f.command).toBe(0);
        expect(f.calls, f.command).toBeGreaterThan(0);
      }
      // each command's answer is that command's, not a refusal or a usage line
      expect(result.samples["/positions"]).toMatch(/^📊 Positions — Book \d/);
      expect(result.samples["/pnl month"]).toMatch(/^📈 PnL — Book \d/);
      expect(result.samples["/orders"]).toMatch(/Orders/);
      expect(result.samples["/balance"]).toMatch(/Balance|Cash/);
      expect(result.samples["/report"]).toMatch(/Book \d/);
    },
  );
});

describe("B5 plan reader", () => {
  it("finds full reads of a table and nothing else", () => {
    expect(
      scannedTables("sqlite", [
        "SEARCH main.orders USING INDEX orders_portfolioId_status_idx (portfolioId=? AND status=?)",
        "SCAN main.trades",
        "SCAN trades USING INDEX trades_orderId_idx",
        "USE TEMP B-TREE FOR ORDER BY",
      ]),
    ).toEqual(["trades", "trades"]);
    expect(
      scannedTables("postgres", [
        "Limit  (cost=0.29..8.31 rows=1 width=8)",
        '  ->  Index Scan using "trades_portfolioId_execTime_idx" on trades  (cost=...)',
        "  ->  Seq Scan on orders  (cost=10000000000.00..10000000001.10 rows=10 width=4)",
      ]),
    ).toEqual(["orders"]);
  });
});

describe("B5 mix users", () => {
  const owners = (users: number): LoadedPortfolio[] =>
    Array.from({ length: users * 3 }, (_, k) => ({
      actor: {
        id: 1 + Math.floor(k / 3),
        isAdmin: false,
        status: "APPROVED" as const,
        isActive: true,
        timeZone: "UTC",
      },
      portfolioId: k + 1,
      telegramId: 500_000 + Math.floor(k / 3),
      portfolioName: `Book ${k % 3}`,
    }));

  it("takes every user up to 20, and 20 evenly spread over more, each with all its portfolios", () => {
    expect(mixOwners(owners(2), MIX_USERS)).toEqual(owners(2));
    expect(mixOwners(owners(20), MIX_USERS)).toEqual(owners(20));
    const spread = mixOwners(owners(200), MIX_USERS);
    const users = [...new Set(spread.map((o) => o.telegramId))];
    expect(users).toEqual(Array.from({ length: 20 }, (_, k) => 500_000 + 10 * k));
    expect(spread).toHaveLength(60);
  });
});
