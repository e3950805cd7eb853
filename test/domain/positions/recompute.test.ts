// PositionService.recompute on both databases reads trades through raw SQL (text decimals, keyset
// batches) and folds them in fixed point: it must equal replayFills() (decimal.js) per position,
// digit for digit, across keyset batch boundaries, with 18-decimal and near-maximal stored values,
// strategies and no strategy, and only the asked portfolio's trades.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type FillInput, replayFills } from "../../../src/domain/positions/position-math.ts";
import { Decimal, toDb } from "../../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase } from "../../support/db.ts";
import { type TestWorld, approvedUser, paperPortfolio } from "../../support/fixtures.ts";
import { useTestWorld } from "../../support/test-world.ts";

interface Fill extends FillInput {
  instrumentId: number;
  strategyId: number | null;
}

/** A stored-looking decimal: up to `digits` significant digits at 0 to 18 places, under 10^20. */
const storedArb = (digits: number) =>
  fc
    .record({
      units: fc.bigInt({ min: 1n, max: 10n ** BigInt(digits) - 1n }),
      scale: fc.integer({ min: Math.max(0, digits - 20), max: 18 }),
    })
    .map(({ units, scale }) => new Decimal(units.toString()).div(new Decimal(10).pow(scale)));

describe.each(PROVIDERS)("PositionService.recompute on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let instrumentIds: number[];
  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
    const rows = await tdb.db.prisma.instrument.findMany({
      where: { symbol: { in: ["BTCUSDT", "ETHUSDT"] } },
    });
    instrumentIds = rows.map((r) => r.id);
  });

  async function insert(portfolioId: number, fills: Fill[]): Promise<void> {
    const start = Date.parse("2026-01-01T00:00:00Z");
    // chunks keep each statement under the drivers' bound-parameter limits
    for (let i = 0; i < fills.length; i += 2000) {
      await tdb.db.prisma.trade.createMany({
        data: fills.slice(i, i + 2000).map((f, j) => ({
          uid: randomUUID(),
          portfolioId,
          instrumentId: f.instrumentId,
          strategyId: f.strategyId,
          side: f.side,
          quantity: toDb(f.quantity),
          price: toDb(f.price),
          fee: toDb(f.fee),
          execTime: new Date(start + (i + j) * 1000),
          brokerTradeId: `R-${randomUUID()}`,
          meta: {},
        })),
      });
    }
  }

  function expected(fills: Fill[]) {
    const byKey = new Map<string, FillInput[]>();
    for (const f of fills) {
      const k = `${f.instrumentId}:${f.strategyId ?? 0}`;
      byKey.set(k, [...(byKey.get(k) ?? []), f]);
    }
    return new Map([...byKey].map(([k, list]) => [k, replayFills(list)]));
  }

  const digits = (s: {
    quantity: Decimal;
    avgPrice: Decimal;
    realizedPnl: Decimal;
    fees: Decimal;
  }) => [s.quantity, s.avgPrice, s.realizedPnl, s.fees].map((v) => v.toFixed()).join(" ");

  it("equals the decimal.js replay on random fills with many decimals (shorts, crossings, fees)", async () => {
    const actor = await approvedUser(world);
    const strategy = await world.services.strategies.save(actor, `rc-${provider}`, {});
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            key: fc.integer({ min: 0, max: 3 }),
            side: fc.constantFrom("BUY" as const, "SELL" as const),
            quantity: fc.oneof(
              fc.integer({ min: 1, max: 9 }).map((n) => new Decimal(n)),
              storedArb(12),
              storedArb(38),
            ),
            price: fc.oneof(storedArb(8), storedArb(38)),
            fee: fc.oneof(fc.constant(new Decimal(0)), storedArb(10)),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        async (steps) => {
          const p = await paperPortfolio(world, actor, { name: `rc-${run++}`, cash: "0" });
          const fills: Fill[] = steps.map((s) => ({
            ...s,
            instrumentId: instrumentIds[s.key % 2]!,
            strategyId: s.key < 2 ? null : strategy.id,
          }));
          await insert(p.id, fills);
          const got = await world.services.positions.recompute(tdb.db.prisma, p.id);
          const want = expected(fills);
          expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
          for (const [k, state] of want) {
            const position = got.get(k)!;
            expect(digits(position)).toBe(digits(state));
            expect(`${position.instrumentId}:${position.strategyId ?? 0}`).toBe(k);
            expect(position.portfolioId).toBe(p.id);
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  it("streams across keyset batches and reads only the portfolio's own trades", async () => {
    const actor = await approvedUser(world);
    const mine = await paperPortfolio(world, actor, { name: "batches" });
    const other = await paperPortfolio(world, actor, { name: "neighbour" });
    const fills = (count: number, seed: number): Fill[] =>
      Array.from({ length: count }, (_, i) => ({
        instrumentId: instrumentIds[(i * 7 + seed) % 2]!,
        strategyId: null,
        side: (i * 13 + seed) % 5 < 3 ? "BUY" : "SELL",
        quantity: new Decimal((i % 17) + 1).div(1000),
        price: new Decimal(30_000 + ((i * 37 + seed) % 5000)).div(7).toDecimalPlaces(18),
        fee: new Decimal(i % 3).div(100),
      }));
    // interleaved in chunks, so both portfolios' ids are spread over many batches of 64
    const a = fills(1000, 1);
    const b = fills(1000, 2);
    for (let i = 0; i < a.length; i += 100) {
      await insert(mine.id, a.slice(i, i + 100));
      await insert(other.id, b.slice(i, i + 100));
    }
    const got = await world.services.positions.recompute(tdb.db.prisma, mine.id, 64);
    const want = expected(a);
    expect(got.size).toBe(want.size);
    for (const [k, state] of want) expect(digits(got.get(k)!)).toBe(digits(state));
  });
});
