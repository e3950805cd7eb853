// Fill ingestion on both databases: idempotency, atomicity, order and position updates, the paper
// cash ledger, the audit trail, ownership, and (property-based) materialized = recompute.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cashBalance } from "../../src/domain/cash/cash-ledger.ts";
import { NotFoundError, ValidationError } from "../../src/domain/errors.ts";
import { replayFills, type FillInput } from "../../src/domain/positions/position-math.ts";
import { type FillReport, TradeService } from "../../src/domain/trades/trade-service.ts";
import { SYSTEM } from "../../src/domain/users/actor.ts";
import { Decimal, ZERO } from "../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase } from "../support/db.ts";
import { type TestWorld, approvedUser, paperPortfolio } from "../support/fixtures.ts";
import { useTestWorld } from "../support/test-world.ts";

const d = (v: string) => new Decimal(v);

describe.each(PROVIDERS)("TradeService.ingestFill on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
  });

  let tradeSeq = 0;
  const fill = (portfolioId: number, patch: Partial<FillReport> = {}): FillReport => ({
    portfolioId,
    symbol: "ETHUSDT",
    side: "BUY",
    quantity: d("1"),
    price: d("3000"),
    fee: d("0.3"),
    execTime: world.clock.now(),
    brokerTradeId: `T-${++tradeSeq}`,
    ...patch,
  });

  it("fills an order partially then fully, updating order, position, cash and audit in one go", async () => {
    const actor = await approvedUser(world);
    const p = await paperPortfolio(world, actor, { cash: "10000" });
    const { orders, trades, positions } = world.services;
    const order = await orders.place(actor, {
      portfolioId: p.id,
      symbol: "ETHUSDT",
      side: "BUY",
      type: "LIMIT",
      quantity: d("2"),
      price: d("3000"),
    });

    const first = await trades.ingestFill(
      SYSTEM,
      fill(p.id, { orderId: order.id, quantity: d("0.5"), price: d("2999.5") }),
    );
    expect(first.duplicate).toBe(false);
    expect(first.event?.orderStatus).toBe("PARTIALLY_FILLED");
    const second = await trades.ingestFill(
      SYSTEM,
      fill(p.id, { clientOrderId: order.clientOrderId, quantity: d("1.5"), price: d("3000") }),
    );
    expect(second.event?.orderStatus).toBe("FILLED");

    const after = await orders.get(actor, order.id);
    expect(after.filledQuantity.toFixed()).toBe("2");
    expect(after.avgFillPrice?.toFixed()).toBe("2999.875");
    const [pos] = await positions.snapshot(actor, p.id);
    expect(pos).toMatchObject({ symbol: "ETHUSDT" });
    expect(pos?.quantity.toFixed()).toBe("2");
    expect(pos?.avgPrice.toFixed()).toBe("2999.875");
    expect(pos?.fees.toFixed()).toBe("0.6");
    // cash: 10000 − 0.5×2999.5 − 1.5×3000 − 2 × 0.3
    expect((await cashBalance(tdb.db.prisma, p.id, "USDT")).toFixed()).toBe("3999.65");
    const audits = await tdb.db.prisma.auditLog.count({
      where: { entityType: "TRADE", action: "FILL" },
    });
    expect(audits).toBeGreaterThanOrEqual(2);
  });

  it("ignores a duplicate fill completely", async () => {
    const actor = await approvedUser(world);
    const p = await paperPortfolio(world, actor, { cash: "10000" });
    const { trades } = world.services;
    const report = fill(p.id);
    const first = await trades.ingestFill(SYSTEM, report);
    const counts = async () => ({
      trades: await tdb.db.prisma.trade.count({ where: { portfolioId: p.id } }),
      cash: await tdb.db.prisma.cashTransaction.count({ where: { accountId: p.accountId } }),
      audit: await tdb.db.prisma.auditLog.count(),
      position: (await tdb.db.prisma.position.findMany({ where: { portfolioId: p.id } })).map(
        (r) => [r.quantity.toString(), r.avgPrice.toString(), r.fees.toString()],
      ),
    });
    const before = await counts();
    const again = await trades.ingestFill(SYSTEM, { ...report, price: d("1"), quantity: d("99") });
    expect(again).toEqual({ duplicate: true, tradeId: first.tradeId, event: null });
    // concurrent duplicates: exactly one row in the end
    const results = await Promise.all([1, 2, 3].map(() => trades.ingestFill(SYSTEM, report)));
    expect(results.every((r) => r.duplicate)).toBe(true);
    expect(await counts()).toEqual(before);
  });

  it("is atomic: a fill that fails midway leaves no trace", async () => {
    const actor = await approvedUser(world);
    const p = await paperPortfolio(world, actor);
    const { orders, trades } = world.services;
    const order = await orders.place(actor, {
      portfolioId: p.id,
      symbol: "ETHUSDT",
      side: "BUY",
      type: "LIMIT",
      quantity: d("1"),
      price: d("3000"),
    });
    const before = await tdb.db.prisma.trade.count();
    // more than the order's quantity: refused after the order is read, before anything sticks
    await expect(
      trades.ingestFill(SYSTEM, fill(p.id, { orderId: order.id, quantity: d("1.5") })),
    ).rejects.toMatchObject({ key: "error-overfill" });
    // a listener failing at the very end rolls everything back
    const failing = new TradeService(
      world.services.ctx,
      world.services.instruments,
      world.services.positions,
    );
    failing.onFill(async () => {
      throw new Error("outbox down");
    });
    await expect(failing.ingestFill(SYSTEM, fill(p.id, { orderId: order.id }))).rejects.toThrow(
      "outbox down",
    );
    expect(await tdb.db.prisma.trade.count()).toBe(before);
    expect((await orders.get(actor, order.id)).filledQuantity.toFixed()).toBe("0");
    expect(await tdb.db.prisma.position.count({ where: { portfolioId: p.id } })).toBe(0);
  });

  it("rejects bad fills with a typed error naming the field", async () => {
    const actor = await approvedUser(world);
    const p = await paperPortfolio(world, actor);
    const { trades } = world.services;
    for (const [patch, field] of [
      [{ quantity: d("0") }, "quantity"],
      [{ quantity: d("-2") }, "quantity"],
      [{ price: d("0") }, "price"],
      [{ fee: d("-1") }, "fee"],
      [{ brokerTradeId: " " }, "brokerTradeId"],
      [{ symbol: "NOPE" }, "symbol"],
      [{ quantity: d("0.0000000000000000001") }, "quantity"],
    ] as const) {
      const error = await trades.ingestFill(SYSTEM, fill(p.id, patch)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field });
    }
    await expect(trades.ingestFill(SYSTEM, fill(p.id, { orderId: 999999 }))).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await tdb.db.prisma.trade.count({ where: { portfolioId: p.id } })).toBe(0);
  });

  it("lets a user ingest only into their own portfolio", async () => {
    const owner = await approvedUser(world);
    const other = await approvedUser(world);
    const p = await paperPortfolio(world, owner);
    await expect(world.services.trades.ingestFill(other, fill(p.id))).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(world.services.positions.snapshot(other, p.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(world.services.trades.ingestFill(owner, fill(p.id))).resolves.toMatchObject({
      duplicate: false,
    });
  });

  it("keeps positions per strategy apart, including the no-strategy position", async () => {
    const actor = await approvedUser(world);
    const p = await paperPortfolio(world, actor);
    const strategy = await tdb.db.prisma.strategy.create({
      data: { uid: `s-${Date.now()}`, userId: actor.id, name: "MeanRev", params: {} },
    });
    const { trades, positions } = world.services;
    await trades.ingestFill(SYSTEM, fill(p.id, { quantity: d("1") }));
    await trades.ingestFill(SYSTEM, fill(p.id, { quantity: d("2"), strategyId: strategy.id }));
    await trades.ingestFill(SYSTEM, fill(p.id, { quantity: d("3") }));
    const snap = await positions.snapshot(actor, p.id);
    expect(snap.map((x) => [x.strategyName, x.quantity.toFixed()])).toEqual([
      [null, "4"],
      ["MeanRev", "2"],
    ]);
    // the nullable strategy is part of uniqueness on both databases
    await expect(
      tdb.db.prisma.position.create({
        data: {
          uid: "dup",
          portfolioId: p.id,
          instrumentId: snap[0]!.instrumentId,
          strategyId: null,
          strategyKey: 0,
          quantity: "1",
        },
      }),
    ).rejects.toMatchObject({ code: "P2002" });
    expect(await positions.verify(tdb.db.prisma, p.id)).toEqual([]);
  });

  it("materialized positions always equal a recompute from trades (random sequences, duplicates included)", async () => {
    const actor = await approvedUser(world);
    const { trades, positions } = world.services;
    const symbols = ["BTCUSDT", "ETHUSDT", "AAPL"] as const;
    const lots: Record<string, number> = { BTCUSDT: 5, ETHUSDT: 4, AAPL: 0 };
    const fillArb = fc.record({
      symbol: fc.constantFrom(...symbols),
      side: fc.constantFrom("BUY" as const, "SELL" as const),
      units: fc.integer({ min: 1, max: 400 }),
      cents: fc.integer({ min: 1, max: 10_000_000 }),
      feeUnits: fc.integer({ min: 0, max: 5000 }),
      duplicateOf: fc.option(fc.nat(), { freq: 4 }),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fillArb, { minLength: 1, maxLength: 25 }), async (steps) => {
        const p = await paperPortfolio(world, actor, {
          name: `prop-${provider}-${run++}`,
          cash: "0",
        });
        const applied: Array<{ symbol: string; fill: FillInput }> = [];
        const reports: FillReport[] = [];
        for (const step of steps) {
          const lot = lots[step.symbol]!;
          if (step.duplicateOf !== null && reports.length > 0) {
            const dup = reports[step.duplicateOf % reports.length]!;
            expect((await trades.ingestFill(SYSTEM, dup)).duplicate).toBe(true);
            continue;
          }
          const report = fill(p.id, {
            symbol: step.symbol,
            side: step.side,
            quantity: new Decimal(step.units).div(new Decimal(10).pow(lot)),
            price: new Decimal(step.cents).div(100),
            fee: new Decimal(step.feeUnits).div(1000),
          });
          reports.push(report);
          await trades.ingestFill(SYSTEM, report);
          applied.push({
            symbol: step.symbol,
            fill: {
              side: report.side,
              quantity: report.quantity,
              price: report.price,
              fee: report.fee ?? ZERO,
            },
          });
        }
        expect(await positions.verify(tdb.db.prisma, p.id)).toEqual([]);
        const snap = await positions.snapshot(actor, p.id, { includeFlat: true });
        for (const symbol of symbols) {
          const expected = replayFills(
            applied.filter((a) => a.symbol === symbol).map((a) => a.fill),
          );
          const got = snap.find((s) => s.symbol === symbol);
          if (!got) {
            expect(applied.some((a) => a.symbol === symbol)).toBe(false);
            continue;
          }
          expect([
            got.quantity.toFixed(),
            got.avgPrice.toFixed(),
            got.realizedPnl.toFixed(),
            got.fees.toFixed(),
          ]).toEqual([
            expected.quantity.toFixed(),
            expected.avgPrice.toFixed(),
            expected.realizedPnl.toFixed(),
            expected.fees.toFixed(),
          ]);
        }
      }),
      { numRuns: 15 },
    );
  });
});
