// Money is exact on both databases: every decimal the services store comes back digit for digit.
// Values are written through the real services (orders, fills, positions, the paper cash ledger)
// at the edges of what NUMERIC(38, 18) holds: 18 decimal places, 20 integer digits, the smallest
// unit 0.000000000000000001, trailing zeros, averages that divisions cut at the 18th place. The
// rows are then read back raw (no Prisma model mapping) and compared with values computed by hand
// (checked with Python's decimal module, ROUND_HALF_EVEN at 18 places). SQLite must hold them as
// TEXT, PostgreSQL as numeric(38,18) whose text form has exactly the expected digits.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedReferenceData } from "../../src/db/seed.ts";
import { appendCash } from "../../src/domain/cash/cash-ledger.ts";
import { newClientOrderId } from "../../src/domain/orders/order-normalizer.ts";
import type { NormalizedOrder, OrderRequest } from "../../src/domain/orders/order-types.ts";
import { SYSTEM, type Actor } from "../../src/domain/users/actor.ts";
import { Decimal, type DecimalLike, dec, fromDb, toDb } from "../../src/lib/decimal.ts";
import type { SyntheticInstrumentSpec } from "../../src/market/catalog.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../support/db.ts";
import { type TestWorld, approvedUser, createWorld, paperPortfolio } from "../support/fixtures.ts";
import { decimalColumns } from "./schema-fields.ts";

/** The largest storable value: 20 integer digits and 18 decimals, all nines. */
const MAX = "99999999999999999999.999999999999999999";
/** The smallest positive storable value. */
const TINY = "0.000000000000000001";
const d = (v: string) => new Decimal(v);

/** An instrument whose grid is the storage scale itself, so no trading rule cuts a digit. */
const EXACT: SyntheticInstrumentSpec = {
  symbol: "EXACTUSDT",
  exchange: "TEST",
  name: "Exactness probe",
  assetType: "CRYPTO",
  baseAsset: "EXACT",
  currency: "USDT",
  tickSize: TINY,
  lotSize: TINY,
  minQty: TINY,
  minNotional: "0",
  referencePrice: "1",
  annualVolatility: 0.5,
};

type Row = Record<string, string | null>;

const ORDER_COLUMNS = [
  "quantity",
  "price",
  "stopPrice",
  "trailAmount",
  "trailPercent",
  "filledQuantity",
  "avgFillPrice",
];
const TRADE_COLUMNS = ["quantity", "price", "fee"];
const POSITION_COLUMNS = ["quantity", "avgPrice", "realizedPnl", "fees"];
const CASH_COLUMNS = ["amount", "balanceAfter"];

/** An order row as placed: nothing filled yet. */
const placed = (fields: Partial<Row>): Row => ({
  quantity: null,
  price: null,
  stopPrice: null,
  trailAmount: null,
  trailPercent: null,
  filledQuantity: "0",
  avgFillPrice: null,
  ...fields,
});

describe.each(PROVIDERS)("exact decimals on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let actor: Actor;

  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    await seedReferenceData(tdb.db.prisma, [EXACT]);
    world = createWorld(tdb.db);
    world.prices.set(EXACT.symbol, "1");
    actor = await approvedUser(world);
  });
  afterAll(() => tdb.drop());

  /**
   * Reads decimal columns raw, checks how each value is stored (SQLite: storage class TEXT and
   * the canonical string itself; PostgreSQL: type numeric whose text form is the value with
   * exactly 18 decimals) and returns the values as canonical strings, in id order.
   */
  async function readDecimals(
    table: string,
    columns: string[],
    where: { column: string; value: number },
  ): Promise<Row[]> {
    const q = (name: string) => `"${name}"`;
    const sqlite = tdb.provider === "sqlite";
    const select = columns
      .flatMap((c) =>
        sqlite
          ? [q(c), `typeof(${q(c)}) AS ${q(`${c}__type`)}`]
          : [
              q(c),
              `${q(c)}::text AS ${q(`${c}__text`)}`,
              `pg_typeof(${q(c)})::text AS ${q(`${c}__type`)}`,
            ],
      )
      .join(", ");
    const sql = `SELECT ${select} FROM ${q(table)} WHERE ${q(where.column)} = ${sqlite ? "?" : "$1"} ORDER BY id`;
    const rows = await tdb.db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(sql, where.value);
    return rows.map((row) => {
      const out: Row = {};
      for (const c of columns) {
        const value = row[c];
        const label = `${table}.${c}`;
        if (value === null) {
          out[c] = null;
          continue;
        }
        if (sqlite) {
          expect(row[`${c}__type`], `${label} storage class`).toBe("text");
          expect(typeof value, label).toBe("string");
          // the stored text is already canonical: what toDb() wrote, digit for digit
          expect(toDb(value as string), label).toBe(value);
          out[c] = value as string;
        } else {
          expect(row[`${c}__type`], `${label} type`).toBe("numeric");
          const canonical = fromDb(value as DecimalLike).toFixed();
          expect(row[`${c}__text`], label).toBe(d(canonical).toFixed(18));
          out[c] = canonical;
        }
      }
      return out;
    });
  }

  // Orders and opening cash at the edges of storage are written through the storage path (an
  // order as the normalizer would hand it over, a ledger movement): what a person may type is
  // bounded far inside these edges (src/domain/bounds.ts, test/domain/bounds.test.ts), but what
  // the database keeps must still be exact all the way to them.
  const order = async (portfolioId: number, req: Omit<OrderRequest, "portfolioId" | "symbol">) => {
    const instrument = await world.services.instruments.resolve(EXACT.symbol);
    const normalized: NormalizedOrder = {
      portfolioId,
      instrumentId: instrument.id,
      symbol: instrument.symbol,
      currency: instrument.currency,
      side: req.side,
      type: req.type,
      timeInForce: req.timeInForce ?? "GTC",
      quantity: req.quantity,
      price: req.price ?? null,
      stopPrice: req.stopPrice ?? null,
      trailAmount: req.trailAmount ?? null,
      trailPercent: req.trailPercent ?? null,
      strategyId: req.strategyId ?? null,
      clientOrderId: newClientOrderId(),
      expiresAt: null,
      referencePrice: req.price ?? req.stopPrice ?? d("1"),
    };
    return world.services.orders.create(actor, normalized);
  };

  /** A paper portfolio whose opening cash is appended to the ledger directly (see `order`). */
  const portfolioWithCash = async (name: string, cash: string) => {
    const p = await paperPortfolio(world, actor, { name, cash: "0" });
    await tdb.db.prisma.$transaction((tx) =>
      appendCash(tx, tdb.provider, {
        accountId: p.accountId,
        portfolioId: p.id,
        type: "DEPOSIT",
        currency: "USDT",
        amount: d(cash),
        note: "opening balance",
        at: world.clock.now(),
      }),
    );
    return p;
  };

  let tradeSeq = 0;
  const fill = (
    portfolioId: number,
    f: { side: "BUY" | "SELL"; qty: string; price: string; fee: string },
    extra: { orderId?: number; strategyId?: number } = {},
  ) =>
    world.services.trades.ingestFill(SYSTEM, {
      portfolioId,
      symbol: EXACT.symbol,
      side: f.side,
      quantity: d(f.qty),
      price: d(f.price),
      fee: d(f.fee),
      execTime: world.clock.now(),
      brokerTradeId: `exact-${++tradeSeq}`,
      ...extra,
    });

  it("keeps the largest prices, the smallest quantities and a full 38-digit balance", async () => {
    const p = await portfolioWithCash("High", "12345678901234567890.123456789012345678");
    const limit = await order(p.id, {
      side: "BUY",
      type: "LIMIT",
      quantity: d(TINY),
      price: d(MAX),
    });
    await order(p.id, {
      side: "BUY",
      type: "STOP_LIMIT",
      quantity: d("9999999999999999999"),
      stopPrice: d("99999999999999999999.999999999999999998"),
      price: d(MAX),
    });
    await order(p.id, {
      side: "BUY",
      type: "STOP",
      quantity: d("42.000000000000000001"),
      stopPrice: d("1.000000000000000001"),
    });
    await order(p.id, {
      side: "SELL",
      type: "TRAILING",
      quantity: d("3"),
      trailPercent: d("12.3400"),
    });
    const orders = [
      placed({ quantity: TINY, price: MAX }),
      placed({
        quantity: "9999999999999999999",
        stopPrice: "99999999999999999999.999999999999999998",
        price: MAX,
      }),
      placed({ quantity: "42.000000000000000001", stopPrice: "1.000000000000000001" }),
      placed({ quantity: "3", trailPercent: "12.34" }),
    ];
    expect(
      await readDecimals("orders", ORDER_COLUMNS, { column: "portfolioId", value: p.id }),
    ).toEqual(orders);

    await fill(p.id, { side: "BUY", qty: TINY, price: MAX, fee: TINY }, { orderId: limit.id });

    orders[0] = { ...orders[0]!, filledQuantity: TINY, avgFillPrice: MAX };
    expect(
      await readDecimals("orders", ORDER_COLUMNS, { column: "portfolioId", value: p.id }),
    ).toEqual(orders);
    expect(
      await readDecimals("trades", TRADE_COLUMNS, { column: "portfolioId", value: p.id }),
    ).toEqual([{ quantity: TINY, price: MAX, fee: TINY }]);
    expect(
      await readDecimals("positions", POSITION_COLUMNS, { column: "portfolioId", value: p.id }),
    ).toEqual([{ quantity: TINY, avgPrice: MAX, realizedPnl: "0", fees: TINY }]);
    // notional 0.000000000000000001 × MAX = 100 − 1e-36, stored at 18 places: 100
    expect(
      await readDecimals("cash_transactions", CASH_COLUMNS, {
        column: "accountId",
        value: p.accountId,
      }),
    ).toEqual([
      {
        amount: "12345678901234567890.123456789012345678",
        balanceAfter: "12345678901234567890.123456789012345678",
      },
      { amount: "-100", balanceAfter: "12345678901234567790.123456789012345678" },
      { amount: `-${TINY}`, balanceAfter: "12345678901234567790.123456789012345677" },
    ]);
  });

  it("keeps the smallest prices, the largest quantities and the digits that broke REAL storage", async () => {
    const p = await portfolioWithCash("Low", TINY);
    const sell = await order(p.id, {
      side: "SELL",
      type: "LIMIT",
      quantity: d(MAX),
      price: d(TINY),
    });
    await order(p.id, {
      side: "SELL",
      type: "TRAILING",
      quantity: d("0.123456789012345678"),
      trailAmount: d("0.000000000000000010"),
    });
    // 12345678901234.123456789 came back from a REAL column as 12345678901234.123
    await order(p.id, {
      side: "BUY",
      type: "LIMIT",
      quantity: d("1.10"),
      price: d("12345678901234.123456789"),
    });
    const orders = [
      placed({ quantity: MAX, price: TINY }),
      placed({ quantity: "0.123456789012345678", trailAmount: "0.00000000000000001" }),
      placed({ quantity: "1.1", price: "12345678901234.123456789" }),
    ];
    expect(
      await readDecimals("orders", ORDER_COLUMNS, { column: "portfolioId", value: p.id }),
    ).toEqual(orders);

    await fill(p.id, { side: "SELL", qty: MAX, price: TINY, fee: "0.000" }, { orderId: sell.id });
    await fill(p.id, { side: "BUY", qty: MAX, price: "0.000000000000000002", fee: "0" });

    orders[0] = { ...orders[0]!, filledQuantity: MAX, avgFillPrice: TINY };
    expect(
      await readDecimals("orders", ORDER_COLUMNS, { column: "portfolioId", value: p.id }),
    ).toEqual(orders);
    expect(
      await readDecimals("trades", TRADE_COLUMNS, { column: "portfolioId", value: p.id }),
    ).toEqual([
      { quantity: MAX, price: TINY, fee: "0" },
      { quantity: MAX, price: "0.000000000000000002", fee: "0" },
    ]);
    // short MAX at 1e-18, bought back at 2e-18: realized −(MAX × 1e-18) = −(100 − 1e-36) → −100
    expect(
      await readDecimals("positions", POSITION_COLUMNS, { column: "portfolioId", value: p.id }),
    ).toEqual([{ quantity: "0", avgPrice: "0", realizedPnl: "-100", fees: "0" }]);
    expect(
      await readDecimals("cash_transactions", CASH_COLUMNS, {
        column: "accountId",
        value: p.accountId,
      }),
    ).toEqual([
      { amount: TINY, balanceAfter: TINY },
      { amount: "100", balanceAfter: "100.000000000000000001" },
      { amount: "-200", balanceAfter: "-99.999999999999999999" },
    ]);
  });

  it("keeps averages cut at the 18th place, partial fills, trailing zeros and a zero crossing", async () => {
    const p = await paperPortfolio(world, actor, { name: "Averages", cash: "100000" });
    const strategy = await world.services.strategies.save(actor, "crossing", {});
    const limit = await order(p.id, {
      side: "BUY",
      type: "LIMIT",
      quantity: d("0.700000"),
      price: d("1000.100000000000000000"),
    });
    await fill(
      p.id,
      { side: "BUY", qty: "0.3", price: "1000", fee: "0.100000" },
      { orderId: limit.id },
    );
    await fill(
      p.id,
      { side: "BUY", qty: "0.4", price: "1000.1", fee: "0.15" },
      { orderId: limit.id },
    );
    const s = { strategyId: strategy.id };
    await fill(p.id, { side: "BUY", qty: "1", price: "10", fee: "0.10" }, s);
    await fill(p.id, { side: "BUY", qty: "2.000", price: "20.00", fee: "0.20" }, s);
    await fill(p.id, { side: "SELL", qty: "1", price: "17", fee: TINY }, s);
    await fill(p.id, { side: "SELL", qty: "3", price: "15.5", fee: "1.5" }, s);

    // (0.3 × 1000 + 0.4 × 1000.1) / 0.7 = 1000.0571428571428571428…
    expect(
      await readDecimals("orders", ORDER_COLUMNS, { column: "portfolioId", value: p.id }),
    ).toEqual([
      placed({
        quantity: "0.7",
        price: "1000.1",
        filledQuantity: "0.7",
        avgFillPrice: "1000.057142857142857143",
      }),
    ]);
    expect(
      await readDecimals("trades", TRADE_COLUMNS, { column: "portfolioId", value: p.id }),
    ).toEqual([
      { quantity: "0.3", price: "1000", fee: "0.1" },
      { quantity: "0.4", price: "1000.1", fee: "0.15" },
      { quantity: "1", price: "10", fee: "0.1" },
      { quantity: "2", price: "20", fee: "0.2" },
      { quantity: "1", price: "17", fee: TINY },
      { quantity: "3", price: "15.5", fee: "1.5" },
    ]);
    // crossing: average 50/3 → 16.666666666666666667; selling 1 at 17 realizes 0.333333333333333333;
    // selling 3 at 15.5 closes 2 (−2.333333333333333334) and opens a short of 1 at 15.5
    expect(
      await readDecimals("positions", POSITION_COLUMNS, { column: "portfolioId", value: p.id }),
    ).toEqual([
      { quantity: "0.7", avgPrice: "1000.057142857142857143", realizedPnl: "0", fees: "0.25" },
      {
        quantity: "-1",
        avgPrice: "15.5",
        realizedPnl: "-2.000000000000000001",
        fees: "1.800000000000000001",
      },
    ]);
    expect(
      await readDecimals("cash_transactions", CASH_COLUMNS, {
        column: "accountId",
        value: p.accountId,
      }),
    ).toEqual([
      { amount: "100000", balanceAfter: "100000" },
      { amount: "-300", balanceAfter: "99700" },
      { amount: "-0.1", balanceAfter: "99699.9" },
      { amount: "-400.04", balanceAfter: "99299.86" },
      { amount: "-0.15", balanceAfter: "99299.71" },
      { amount: "-10", balanceAfter: "99289.71" },
      { amount: "-0.1", balanceAfter: "99289.61" },
      { amount: "-40", balanceAfter: "99249.61" },
      { amount: "-0.2", balanceAfter: "99249.41" },
      { amount: "17", balanceAfter: "99266.41" },
      { amount: `-${TINY}`, balanceAfter: "99266.409999999999999999" },
      { amount: "46.5", balanceAfter: "99312.909999999999999999" },
      { amount: "-1.5", balanceAfter: "99311.409999999999999999" },
    ]);
  });

  it("round-trips any storable decimal through toDb → database → fromDb (property)", async () => {
    const p = await paperPortfolio(world, actor, { name: "Property" });
    const digits = (min: number, max: number) =>
      fc
        .array(fc.constantFrom(..."0123456789"), { minLength: min, maxLength: max })
        .map((a) => a.join(""));
    const storable = fc.oneof(
      fc
        .record({ negative: fc.boolean(), int: digits(1, 20), frac: digits(0, 18) })
        .map(({ negative, int, frac }) => `${negative ? "-" : ""}${int}${frac ? `.${frac}` : ""}`),
      fc.constantFrom(
        MAX,
        `-${MAX}`,
        TINY,
        `-${TINY}`,
        "0",
        "-0",
        "1.000000000000000000",
        "100.10",
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(storable, { minLength: 1, maxLength: 30 }), async (values) => {
        const rows = values.map((v) => ({ uid: randomUUID(), text: toDb(v) }));
        await tdb.db.prisma.cashTransaction.createMany({
          data: rows.map((r) => ({
            uid: r.uid,
            accountId: p.accountId,
            portfolioId: p.id,
            type: "DEPOSIT" as const,
            currency: "PROP",
            amount: r.text,
            balanceAfter: r.text,
          })),
        });
        const back = await tdb.db.prisma.cashTransaction.findMany({
          where: { uid: { in: rows.map((r) => r.uid) } },
          select: { uid: true, amount: true },
        });
        const byUid = new Map(back.map((b) => [b.uid, b.amount]));
        values.forEach((v, i) => {
          const stored = fromDb(byUid.get(rows[i]!.uid)!);
          // the very value written (no rounding: it has at most 18 places), in canonical form
          expect(stored.eq(dec(v)), v).toBe(true);
          expect(stored.toFixed(), v).toBe(rows[i]!.text);
        });
      }),
      { numRuns: 60 },
    );
    // and raw: every one of them stored as TEXT / numeric with the same digits
    const raw = await readDecimals("cash_transactions", CASH_COLUMNS, {
      column: "accountId",
      value: p.accountId,
    });
    expect(raw.length).toBeGreaterThan(60);
  });

  it("stores every decimal column as TEXT on SQLite and numeric(38,18) on PostgreSQL", async () => {
    const columns = decimalColumns();
    expect(columns.length).toBeGreaterThanOrEqual(30);
    for (const { table, column } of columns) {
      const label = `${table}.${column}`;
      if (provider === "sqlite") {
        const info = await tdb.db.prisma.$queryRawUnsafe<{ name: string; type: string }[]>(
          `SELECT name, type FROM pragma_table_info('${table}')`,
        );
        expect(info.find((c) => c.name === column)?.type, label).toBe("TEXT");
        const classes = await tdb.db.prisma.$queryRawUnsafe<{ t: string }[]>(
          `SELECT DISTINCT typeof("${column}") AS t FROM "${table}" WHERE "${column}" IS NOT NULL`,
        );
        expect(
          classes.map((c) => c.t).filter((t) => t !== "text"),
          label,
        ).toEqual([]);
      } else {
        const info = await tdb.db.prisma.$queryRawUnsafe<{ t: string }[]>(
          `SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute ` +
            `WHERE attrelid = '"${table}"'::regclass AND attname = '${column}' AND NOT attisdropped`,
        );
        expect(
          info.map((c) => c.t),
          label,
        ).toEqual(["numeric(38,18)"]);
      }
    }
  });
});
