// Every number a person gives is bounded by what the database stores (NUMERIC(38, 18) / canonical
// text) — src/domain/bounds.ts. Properties: any accepted quantity times any accepted price is
// storable, and so are fees and sums; accepted values round-trip through toDb → each database →
// fromDb. Then each domain entry point that takes a typed number, on SQLite and PostgreSQL:
// cash deposit and withdrawal (with the currency checked against the account's), the opening
// balance, orders (quantity, price, stop, trailing, value), cash-sized orders, alert levels and
// PnL thresholds, risk money limits, screener thresholds — each refusing with a ValidationError
// naming the field and the limit, and writing nothing.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MAX_BALANCE,
  MAX_NOTIONAL,
  NUMBER_BOUNDS,
  checkBound,
  readNumber,
} from "../../src/domain/bounds.ts";
import { appendCash, cashBalance } from "../../src/domain/cash/cash-ledger.ts";
import { ValidationError } from "../../src/domain/errors.ts";
import type { OrderRequest } from "../../src/domain/orders/order-types.ts";
import { parsePolicyConfig } from "../../src/domain/risk/policy-config.ts";
import { parseCondition } from "../../src/domain/screeners/condition-syntax.ts";
import type { Actor } from "../../src/domain/users/actor.ts";
import { Decimal, STORAGE_MAX, fromDb, roundForStorage, toDb } from "../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../support/db.ts";
import { approvedUser, paperPortfolio } from "../support/fixtures.ts";
import { type TradingWorld, createTradingWorld } from "./trading/trading-world.ts";

const d = (v: string) => new Decimal(v);
const HUGE = "99999999999999999999999999999999";

const digits = (min: number, max: number) =>
  fc
    .array(fc.constantFrom(..."0123456789"), { minLength: min, maxLength: max })
    .map((a) => a.join(""));

/** Positive text with up to `intDigits` integer digits and 18 decimals. */
const typed = (intDigits: number) =>
  fc
    .record({ int: digits(1, intDigits), frac: digits(0, 18) })
    .map(({ int, frac }) => (frac ? `${int}.${frac}` : int));

/** What readNumber accepts of `kind` (bound and scale), as Decimals; refusals filtered out. */
const acceptedOf = (kind: "quantity" | "price" | "amount", intDigits: number) =>
  typed(intDigits)
    .map((text) => {
      try {
        return readNumber(kind, text, kind);
      } catch (e) {
        if (e instanceof ValidationError) return null;
        throw e;
      }
    })
    .filter((v): v is Decimal => v !== null && v.gt(0));

/** The ValidationError a call throws (fails the test when it throws anything else or nothing). */
async function refusal(run: () => Promise<unknown> | unknown): Promise<ValidationError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("expected a ValidationError");
}

describe("number bounds keep derived values storable", () => {
  it("refuses beyond each bound and beyond 18 decimals, naming the field and the limit", () => {
    for (const [kind, max] of Object.entries(NUMBER_BOUNDS)) {
      const k = kind as keyof typeof NUMBER_BOUNDS;
      expect(checkBound("x", max, k).eq(max)).toBe(true);
      expect(checkBound("x", max.neg(), k).eq(max.neg())).toBe(true);
      const over = (() => {
        try {
          checkBound("x", max.plus("0.000000000000000001"), k);
        } catch (e) {
          return e;
        }
      })();
      expect(over).toMatchObject({
        field: "x",
        key: "error-number-too-large",
        params: { max: max.toNumber() },
      });
    }
    expect(() => readNumber("amount", "1.0000000000000000001", "amount")).toThrow(
      expect.objectContaining({
        key: "error-too-many-decimals",
        params: { field: "amount", max: 18 },
      }),
    );
    expect(() => readNumber("amount", HUGE, "amount")).toThrow(
      expect.objectContaining({ key: "error-number-too-large" }),
    );
    expect(() => readNumber("amount", "1,000", "amount")).toThrow(
      expect.objectContaining({
        key: "error-number-ambiguous",
        params: { field: "amount", value: "1,000" },
      }),
    );
    expect(() => readNumber("amount", "1e5", "amount")).toThrow(
      expect.objectContaining({ key: "error-not-a-number" }),
    );
  });

  it("any accepted quantity × any accepted price and its fee stay storable, and a thousand orders' worth (property)", () => {
    fc.assert(
      fc.property(
        acceptedOf("quantity", 12),
        acceptedOf("price", 11),
        fc.integer({ min: 0, max: 10_000 }),
        (quantity, price, feeBps) => {
          const notional = quantity.mul(price);
          const fee = notional.mul(feeBps).div(10_000);
          const values = [notional, fee, notional.plus(fee), notional.plus(fee).neg()];
          // an order's value is capped at MAX_NOTIONAL: a thousand orders' worth still fits
          if (notional.lte(MAX_NOTIONAL)) values.push(notional.plus(fee).mul(1000).neg());
          for (const v of values) {
            const stored = toDb(v); // throws when out of storable range
            expect(fromDb(stored).eq(roundForStorage(v))).toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
    // the corners themselves
    const corner = NUMBER_BOUNDS.quantity.mul(NUMBER_BOUNDS.price);
    expect(corner.lt(STORAGE_MAX)).toBe(true);
    expect(MAX_NOTIONAL.mul(1000).lte(MAX_BALANCE)).toBe(true);
    expect(MAX_BALANCE.plus(MAX_NOTIONAL.mul(1000)).lt(STORAGE_MAX)).toBe(true);
  });
});

describe.each(PROVIDERS)("number bounds at every entry point on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TradingWorld;
  let alice: Actor;
  let accountId: number;
  let portfolioId: number;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    world = createTradingWorld(tdb.db);
    alice = await approvedUser(world, "Alice");
    const p = await paperPortfolio(world, alice, { cash: "100000" });
    accountId = p.accountId;
    portfolioId = p.id;
  });
  afterAll(() => tdb.drop());

  async function counts() {
    const db = tdb.db.prisma;
    const [cash, orders, accounts, alerts, policies, audit] = await Promise.all([
      db.cashTransaction.count(),
      db.order.count(),
      db.account.count(),
      db.alert.count(),
      db.riskPolicy.count(),
      db.auditLog.count(),
    ]);
    return { cash, orders, accounts, alerts, policies, audit };
  }

  it("accepted products of quantity and price round-trip through the database digit for digit (property)", async () => {
    const sample = fc.sample(fc.tuple(acceptedOf("quantity", 12), acceptedOf("price", 11)), 25);
    const p = await paperPortfolio(world, alice, { name: "Storage", cash: "0" });
    let balance = new Decimal(0);
    for (const [q, price] of sample) {
      const notional = q.mul(price);
      balance = fromDb(toDb(balance.plus(notional)));
      const entry = await tdb.db.prisma.$transaction((tx) =>
        appendCash(tx, provider, {
          accountId: p.accountId,
          portfolioId: p.id,
          type: "DEPOSIT",
          currency: "USDT",
          amount: notional,
          at: world.clock.now(),
        }),
      );
      const row = await tdb.db.prisma.cashTransaction.findUniqueOrThrow({
        where: { id: entry.id },
      });
      expect(fromDb(row.amount).toFixed()).toBe(roundForStorage(notional).toFixed());
      expect(fromDb(row.balanceAfter).toFixed()).toBe(balance.toFixed());
    }
    expect((await cashBalance(tdb.db.prisma, p.id, "USDT")).toFixed()).toBe(balance.toFixed());
  });

  it("cash: a huge or over-precise amount, an unknown currency, a balance beyond the cap are refused", async () => {
    const { cash, portfolios } = world.services;
    const before = await counts();
    expect(await refusal(() => cash.deposit(alice, portfolioId, d(HUGE)))).toMatchObject({
      field: "amount",
      key: "error-number-too-large",
      params: { max: 1e15 },
    });
    expect(await refusal(() => cash.withdraw(alice, portfolioId, d(HUGE)))).toMatchObject({
      key: "error-number-too-large",
    });
    expect(await refusal(() => cash.deposit(alice, portfolioId, d("1.000000001")))).toMatchObject({
      key: "error-too-many-decimals",
      params: { max: 8 },
    });
    const unknown = await refusal(() => cash.deposit(alice, portfolioId, d("100"), "XYZ"));
    expect(unknown).toMatchObject({ field: "currency", key: "error-currency-unknown" });
    // the account's own currency first, then the instruments' quote currencies
    const allowed = String(unknown.params.allowed).split(", ");
    expect(allowed[0]).toBe("USDT");
    expect(allowed).toEqual(expect.arrayContaining(["USD", "USDT"]));
    expect(
      await refusal(() =>
        portfolios.createAccount(alice, {
          brokerCode: "PAPER",
          name: "Too rich",
          baseCurrency: "USDT",
          openingBalance: d(HUGE),
        }),
      ),
    ).toMatchObject({ field: "openingBalance", key: "error-number-too-large" });
    expect(await counts()).toEqual(before);

    // the largest deposit and a quote currency the account does not hold yet are fine
    const entry = await cash.deposit(alice, portfolioId, d("1000000000000000"), "usd");
    expect(entry).toMatchObject({ currency: "USD" });
    expect(entry.balanceAfter.toFixed()).toBe("1000000000000000");

    // a balance already near the cap: the deposit that would cross it is refused
    await tdb.db.prisma.$transaction((tx) =>
      appendCash(tx, provider, {
        accountId,
        portfolioId,
        type: "DEPOSIT",
        currency: "USD",
        amount: MAX_BALANCE.minus("1000000000000000"),
        at: world.clock.now(),
      }),
    );
    const atCap = await counts();
    expect(await refusal(() => cash.deposit(alice, portfolioId, d("0.01"), "USD"))).toMatchObject({
      key: "error-balance-too-large",
      params: { currency: "USD", max: 1e18 },
    });
    expect(await counts()).toEqual(atCap);
  });

  it("orders: quantity, prices, trailing distance, value and cash amount beyond the bounds are refused", async () => {
    const { trading } = world;
    const { orders } = world.services;
    const base: OrderRequest = {
      portfolioId,
      symbol: "ETHUSDT",
      side: "SELL",
      type: "MARKET",
      quantity: d("99999999999999999999999"),
    };
    const before = await counts();
    expect(await refusal(() => trading.preview(alice, base))).toMatchObject({
      field: "quantity",
      key: "error-number-too-large",
      params: { max: 1e10 },
    });
    expect(await refusal(() => orders.place(alice, base))).toMatchObject({
      key: "error-number-too-large",
    });
    expect(await refusal(() => trading.place(alice, base))).toMatchObject({
      key: "error-number-too-large",
    });
    const limit = { ...base, type: "LIMIT" as const, quantity: d("1") };
    expect(
      await refusal(() => trading.preview(alice, { ...limit, price: d("1000000000.01") })),
    ).toMatchObject({ field: "price", key: "error-number-too-large", params: { max: 1e9 } });
    expect(
      await refusal(() =>
        trading.preview(alice, {
          ...base,
          type: "STOP",
          side: "BUY",
          quantity: d("1"),
          stopPrice: d(HUGE),
        }),
      ),
    ).toMatchObject({ field: "stopPrice", key: "error-number-too-large" });
    expect(
      await refusal(() =>
        trading.preview(alice, {
          ...base,
          type: "TRAILING",
          quantity: d("1"),
          trailAmount: d(HUGE),
        }),
      ),
    ).toMatchObject({ field: "trailAmount", key: "error-number-too-large" });
    // each within its bound, together worth more than an order may be
    expect(
      await refusal(() =>
        trading.preview(alice, { ...limit, quantity: d("10000000"), price: d("1000000000") }),
      ),
    ).toMatchObject({
      field: "quantity",
      key: "error-notional-too-large",
      params: { max: 1e15, symbol: "ETHUSDT" },
    });
    expect(
      await refusal(() => trading.quantityForCash(alice, portfolioId, "ETHUSDT", d(HUGE))),
    ).toMatchObject({ field: "amount", key: "error-number-too-large", params: { max: 1e15 } });
    expect(await counts()).toEqual(before);
  });

  it("alerts: a huge price level or PnL amount is refused; risk money limits and screener thresholds too", async () => {
    const { alerts, riskPolicies } = world.services;
    const before = await counts();
    expect(
      await refusal(() => alerts.createFromText(alice, `BTCUSDT above ${HUGE}`)),
    ).toMatchObject({ field: "alertLevel", key: "error-number-too-large", params: { max: 1e9 } });
    expect(
      await refusal(() => alerts.createFromText(alice, `position BTCUSDT pnl -${HUGE}`)),
    ).toMatchObject({ field: "alertThreshold", key: "error-number-too-large" });
    expect(await refusal(() => alerts.createFromText(alice, "BTCUSDT above 1,000"))).toMatchObject({
      key: "error-number-ambiguous",
    });
    for (const rule of ["maxExposurePerAssetAbs", "minCashAbs"]) {
      expect(
        await refusal(() =>
          riskPolicies.create(alice, {
            scope: "USER",
            name: `Huge ${rule}`,
            config: { [rule]: { limit: HUGE, action: "block" } },
          }),
        ),
      ).toMatchObject({ field: rule, key: "error-number-too-large", params: { max: 1e15 } });
    }
    expect(
      await refusal(() =>
        riskPolicies.create(alice, {
          scope: "USER",
          name: "Percent over 100",
          config: { maxRiskPerTradePct: { limit: "100.5", action: "block" } },
        }),
      ),
    ).toMatchObject({ key: "error-risk-limit-pct" });
    expect(await counts()).toEqual(before);

    // within the bounds all of them are taken
    await alerts.createFromText(alice, "BTCUSDT above 1,000,000.50");
    const policy = await riskPolicies.create(alice, {
      scope: "USER",
      name: "Largest",
      config: { maxExposurePerAssetAbs: { limit: "1,000,000,000,000,000", action: "block" } },
    });
    expect(policy.config.maxExposurePerAssetAbs?.limit.toFixed()).toBe("1000000000000000");
    expect(
      parsePolicyConfig({
        minCashAbs: { limit: "2500,50", action: "warn" },
      }).minCashAbs?.limit.toFixed(),
    ).toBe("2500.5");
    expect(() => parseCondition(`price > ${HUGE}`)).toThrow(
      expect.objectContaining({ key: "error-number-too-large" }),
    );
    expect(() => parseCondition("price > 1,000")).toThrow(
      expect.objectContaining({ key: "error-number-ambiguous" }),
    );
    expect(parseCondition("price > 1,000.5").right).toBe(1000.5);
  });
});
