// Which gateway serves an account: the paper venue bound to that account, a registered live
// adapter, or a typed refusal for a live broker nobody configured.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LiveTradingNotConfiguredError } from "../../src/brokers/gateway-errors.ts";
import { GatewayRegistry } from "../../src/brokers/gateway-registry.ts";
import { PaperBroker } from "../../src/brokers/paper/paper-broker.ts";
import type { BrokerGateway } from "../../src/brokers/types.ts";
import { GatewayError, NotFoundError } from "../../src/domain/errors.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { type TestDatabase, createTestDatabase } from "../support/db.ts";
import { approvedUser, paperPortfolio } from "../support/fixtures.ts";
import { type TradingWorld, createTradingWorld } from "../domain/trading/trading-world.ts";

describe("GatewayRegistry", () => {
  let tdb: TestDatabase;
  let world: TradingWorld;
  beforeAll(async () => {
    tdb = await createTestDatabase("sqlite");
    world = createTradingWorld(tdb.db);
  });
  afterAll(() => tdb.drop());

  it("gives each paper account its own paper broker, reused across calls", async () => {
    const actor = await approvedUser(world);
    const a = await paperPortfolio(world, actor, { name: "A" });
    const b = await paperPortfolio(world, actor, { name: "B" });
    const ga = await world.gateways.forAccount(a.accountId);
    expect(ga).toBeInstanceOf(PaperBroker);
    expect((ga as PaperBroker).accountId).toBe(a.accountId);
    expect(ga.brokerCode).toBe("PAPER");
    expect(await world.gateways.forAccount(a.accountId)).toBe(ga);
    expect(((await world.gateways.forAccount(b.accountId)) as PaperBroker).accountId).toBe(
      b.accountId,
    );
    expect(ga.capabilities.orderTypes).toContain("TRAILING");
  });

  it("refuses live brokers without an adapter with a typed, localizable error", async () => {
    const actor = await approvedUser(world);
    const account = await world.services.portfolios.createAccount(actor, {
      brokerCode: "BINANCE",
      name: "Live",
      baseCurrency: "USDT",
    });
    const err = await world.gateways.forAccount(account.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveTradingNotConfiguredError);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({
      key: "error-live-trading-not-configured",
      params: { broker: "BINANCE" },
    });
    expect(world.gateways.supports("BINANCE", false)).toBe(false);
    expect(world.gateways.supports("PAPER", true)).toBe(true);
  });

  it("uses a registered live adapter for its broker", async () => {
    const actor = await approvedUser(world);
    const account = await world.services.portfolios.createAccount(actor, {
      brokerCode: "IBKR",
      name: "Live IB",
    });
    const seen: number[] = [];
    const adapter = { brokerCode: "IBKR" } as unknown as BrokerGateway; // only identity is checked
    const registry = new GatewayRegistry({
      db: tdb.db.prisma,
      provider: "sqlite",
      clock: world.clock,
      market: world.market,
      live: {
        IBKR: (acc) => {
          seen.push(acc.id);
          return adapter;
        },
      },
    });
    expect(await registry.forAccount(account.id)).toBe(adapter);
    expect(seen).toEqual([account.id]);
    expect(registry.supports("IBKR", false)).toBe(true);
  });

  it("does not serve unknown or deactivated accounts", async () => {
    await expect(world.gateways.forAccount(999_999)).rejects.toBeInstanceOf(NotFoundError);
    const actor = await approvedUser(world);
    const p = await paperPortfolio(world, actor, { name: "Gone", cash: "10" });
    await tdb.db.prisma.account.update({ where: { id: p.accountId }, data: { isActive: false } });
    const fresh = new GatewayRegistry({
      db: tdb.db.prisma,
      provider: "sqlite",
      clock: world.clock,
      market: world.market,
    });
    await expect(fresh.forAccount(p.accountId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("passes the paper settings to the venue", async () => {
    const registry = new GatewayRegistry({
      db: tdb.db.prisma,
      provider: "sqlite",
      clock: world.clock,
      market: world.market,
      paper: { takerFeeBps: "7.5", slippageBps: 0 },
    });
    const actor = await approvedUser(world);
    const p = await paperPortfolio(world, actor, { name: "Cheap" });
    const cost = await (await registry.forAccount(p.accountId)).costModel("BTCUSDT");
    expect(cost.takerFeeRate.eq(new Decimal("0.00075"))).toBe(true);
    expect(cost.slippageRate.isZero()).toBe(true);
    expect(() =>
      new GatewayRegistry({
        db: tdb.db.prisma,
        provider: "sqlite",
        clock: world.clock,
        market: world.market,
        paper: { participationRate: 2 },
      }).gatewayFor({
        id: p.accountId,
        brokerCode: "PAPER",
        isPaper: true,
        baseCurrency: "USDT",
        secretRef: null,
      }),
    ).toThrow(RangeError);
  });
});
