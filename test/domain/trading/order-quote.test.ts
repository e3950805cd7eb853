// One preview pass and one risk decision per step of an order: the card's quote() and the Confirm's
// place() each read the market once and ask the pre-trade check once — also when the check reduces
// the order and the user accepted a smaller size still (that path used to preview three times).
// Counted through the real TradingService, RiskService and database: the market and the check are
// the world's own, wrapped only to count the calls that reach them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrderRequest } from "../../../src/domain/orders/order-types.ts";
import type { RiskDecision } from "../../../src/domain/risk/risk-service.ts";
import type { PreTradeCheck } from "../../../src/domain/trading/pre-trade-check.ts";
import { TradingService } from "../../../src/domain/trading/trading-service.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { type RiskWorld, createRiskWorld, fill, riskTrader } from "../risk/risk-world.ts";

const d = (v: string) => new Decimal(v);

/** The world's trading stack with counters on its market quotes and its risk check. */
function countingTrading(world: RiskWorld) {
  const calls = { quotes: 0, assess: 0, evaluate: 0, log: 0 };
  const { risk, market, services } = world;
  const check: PreTradeCheck<RiskDecision> = {
    evaluate: (...args) => (calls.evaluate++, risk.evaluate(...args)),
    assess: (...args) => (calls.assess++, risk.assess(...args)),
    log: (...args) => (calls.log++, risk.log(...args)),
  };
  const trading = new TradingService<RiskDecision>({
    ctx: services.ctx,
    orders: services.orders,
    portfolios: services.portfolios,
    instruments: services.instruments,
    market: { quote: (symbol) => (calls.quotes++, market.quote(symbol)) },
    gateways: services.gateways,
    sync: services.sync,
    preTrade: check,
  });
  const reset = () => Object.assign(calls, { quotes: 0, assess: 0, evaluate: 0, log: 0 });
  return { trading, calls, reset };
}

describe.each(PROVIDERS)("previews and risk checks per order on %s", (provider) => {
  let tdb: TestDatabase;
  let world: RiskWorld;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    world = createRiskWorld(tdb.db);
  });
  afterAll(() => tdb.drop());

  const limitBuy = (portfolioId: number, quantity: string, price: string): OrderRequest => ({
    portfolioId,
    symbol: "ETHUSDT",
    side: "BUY",
    type: "LIMIT",
    quantity: d(quantity),
    price: d(price),
  });

  /** Holds 1 ETH (bought at 1800), with a policy capping ETH exposure at 3000 USDT by reducing. */
  async function cappedHolder() {
    world.tape.set("ETHUSDT", "2000");
    const t = await riskTrader(world);
    await fill(world, t.portfolio.id, "ETHUSDT", "BUY", "1", "1800", "2026-03-10T09:00:00Z");
    await world.policies.create(t.actor, {
      scope: "PORTFOLIO",
      scopeId: t.portfolio.id,
      name: "ETH cap",
      config: { maxExposurePerAssetAbs: { limit: "3000", action: "reduce" } },
    });
    return t;
  }

  it("quotes a card in one pass and places a reduced order with one more", async () => {
    const { actor, portfolio } = await cappedHolder();
    const { trading, calls, reset } = countingTrading(world);

    const card = await trading.quote(actor, limitBuy(portfolio.id, "1", "1990"));
    expect(card.risk.outcome).toBe("REDUCE");
    expect(card.risk.maxQuantity).toBe("0.5075");
    expect(card.preview.estimate.notional.toFixed()).toBe("1990");
    expect(card.instrument.symbol).toBe("ETHUSDT");
    expect(calls).toEqual({ quotes: 1, assess: 1, evaluate: 0, log: 0 });

    // the user accepted less than the check allows now: both cuts apply, one preview still
    reset();
    const placed = await trading.place(actor, limitBuy(portfolio.id, "1", "1990"), {
      acceptedQuantity: d("0.5"),
    });
    expect(placed.order.quantity.toFixed()).toBe("0.5");
    expect(placed.preview.estimate.notional.toFixed()).toBe("995");
    expect(placed.risk.outcome).toBe("REDUCE");
    expect(calls).toEqual({ quotes: 1, assess: 0, evaluate: 1, log: 0 });
  });

  it("records a blocked card once and asks nothing more", async () => {
    const { actor, portfolio } = await riskTrader(world, { name: "Blocked" });
    await world.policies.create(actor, {
      scope: "PORTFOLIO",
      scopeId: portfolio.id,
      name: "ETH block",
      config: { maxExposurePerAssetAbs: { limit: "1000", action: "block" } },
    });
    const { trading, calls } = countingTrading(world);
    const card = await trading.quote(actor, limitBuy(portfolio.id, "1", "1990"));
    expect(card.risk.outcome).toBe("BLOCK");
    expect(card.risk.breachIds).toHaveLength(1);
    expect(calls).toEqual({ quotes: 1, assess: 1, evaluate: 0, log: 1 });
  });
});
