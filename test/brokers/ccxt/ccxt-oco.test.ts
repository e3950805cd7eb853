// Native OCO through the ccxt gateway against the exchange twin (the real ccxt client): the pair
// holds the balance once, the venue cancels one leg when the other executes, a lost answer is
// recovered by looking the legs up (one pair, never two), and a refused pair is two REJECTED legs.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AccountSymbols } from "../../../src/brokers/ccxt/account-symbols.ts";
import { CcxtGateway } from "../../../src/brokers/ccxt/ccxt-gateway.ts";
import type { OrderRef, PlaceOcoRequest } from "../../../src/brokers/types.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { systemClock } from "../../../src/lib/clock.ts";
import { ExchangeTwin } from "../../support/exchange-twin/index.ts";

const KEY = "k".repeat(64);
const SECRET = "s".repeat(64);

class KnownSymbols implements AccountSymbols {
  readonly since = new Map<string, number>();
  async symbolOf(ref: OrderRef): Promise<string | null> {
    return ref.symbol ?? null;
  }
  async tradedSince(): Promise<Map<string, number>> {
    return this.since;
  }
}

let twin: ExchangeTwin;
let gateway: CcxtGateway;
let n = 0;

function pair(over: Partial<PlaceOcoRequest> = {}): PlaceOcoRequest {
  n++;
  return {
    listClientOrderId: `br-9${n}-1`,
    symbol: "BTCUSDT",
    side: "SELL",
    quantity: new Decimal("0.01"),
    takeProfit: { clientOrderId: `br-9${n}-1-tp`, price: new Decimal("66000") },
    stopLoss: { clientOrderId: `br-9${n}-1-sl`, stopPrice: new Decimal("57000") },
    ...over,
  };
}

const venueOrders = () => twin.orders();
const btc = () => twin.balances().BTC!;

beforeEach(async () => {
  twin = await ExchangeTwin.start();
  twin.registerKey({ apiKey: KEY, secret: SECRET });
  twin.addBalance("main", "USDT", "1000");
  // exactly the quantity of one pair: two separate sells could not both be placed
  twin.addBalance("main", "BTC", "0.01");
  twin.setPrice("BTCUSDT", "60000.00");
  gateway = new CcxtGateway({
    brokerCode: "BINANCE",
    exchangeId: "binance",
    account: {
      id: 1,
      brokerCode: "BINANCE",
      isPaper: false,
      baseCurrency: "USDT",
      secretRef: null,
      createdAt: new Date(Date.now() - 60_000),
    },
    credentials: async () => ({ apiKey: KEY, secret: SECRET }),
    symbols: new KnownSymbols(),
    clock: systemClock,
    apiUrl: twin.url,
    rateLimitMs: 1,
    pacing: { maxWaitMs: 1_000, baseDelayMs: 100 },
  });
});

afterEach(async () => {
  expect(twin.internalErrors).toEqual([]);
  await twin.stop();
});

describe("native OCO pairs on Binance", () => {
  it("declares native OCO and places both legs as one list holding the balance once", async () => {
    expect(gateway.capabilities.nativeOco).toBe(true);
    const res = await gateway.placeOcoPair(pair());
    expect(res.takeProfit).toMatchObject({
      clientOrderId: "br-91-1-tp",
      type: "LIMIT",
      status: "NEW",
      side: "SELL",
    });
    expect(res.takeProfit.price!.toFixed()).toBe("66000");
    expect(res.stopLoss).toMatchObject({
      clientOrderId: "br-91-1-sl",
      type: "STOP",
      status: "NEW",
    });
    expect(res.stopLoss.stopPrice!.toFixed()).toBe("57000");
    expect(btc()).toEqual({ free: "0", locked: "0.01" });
    const open = await gateway.fetchOpenOrders();
    expect(open.map((o) => o.clientOrderId).sort()).toEqual(["br-91-1-sl", "br-91-1-tp"]);
    const listIds = new Set(venueOrders().map((o) => o.orderListId));
    expect(listIds.size).toBe(1);
    expect([...listIds][0]).not.toBe(-1);
  });

  it("take-profit fills: the venue cancels the stop-loss, the holding is sold once", async () => {
    const res = await gateway.placeOcoPair(pair());
    twin.setPrice("BTCUSDT", "66500.00");
    const tp = await gateway.fetchOrder({
      brokerOrderId: res.takeProfit.brokerOrderId,
      symbol: "BTCUSDT",
    });
    const sl = await gateway.fetchOrder({
      brokerOrderId: res.stopLoss.brokerOrderId,
      symbol: "BTCUSDT",
    });
    expect(tp!.status).toBe("FILLED");
    expect(sl!.status).toBe("CANCELED");
    expect(btc()).toEqual({ free: "0", locked: "0" });
    // a later fall through the stop sells nothing more
    twin.setPrice("BTCUSDT", "50000.00");
    expect(twin.trades().filter((t) => t.isBuyer === false)).toHaveLength(1);
    expect(await gateway.fetchOpenOrders()).toEqual([]);
  });

  it("stop-loss triggers: the venue cancels the take-profit and sells at the market", async () => {
    const res = await gateway.placeOcoPair(pair());
    twin.setPrice("BTCUSDT", "56900.00");
    const tp = await gateway.fetchOrder({
      clientOrderId: res.takeProfit.clientOrderId,
      symbol: "BTCUSDT",
    });
    const sl = await gateway.fetchOrder({
      clientOrderId: res.stopLoss.clientOrderId,
      symbol: "BTCUSDT",
    });
    expect(sl!.status).toBe("FILLED");
    expect(tp!.status).toBe("CANCELED");
    expect(btc()).toEqual({ free: "0", locked: "0" });
    twin.setPrice("BTCUSDT", "70000.00");
    const sells = twin.trades().filter((t) => t.isBuyer === false);
    expect(sells).toHaveLength(1);
    expect(sells[0]!.orderListId).toBe(venueOrders()[0]!.orderListId);
  });

  it("a lost answer is found by the legs' client ids: a retry places no second pair", async () => {
    twin.fault({ path: "/api/v3/orderList/oco", method: "POST", kind: "accept-then-drop" });
    const req = pair();
    const res = await gateway.placeOcoPair(req);
    expect(res.takeProfit.status).toBe("NEW");
    expect(res.stopLoss.status).toBe("NEW");
    expect(venueOrders()).toHaveLength(2);
    const again = await gateway.placeOcoPair(req);
    expect(again.takeProfit.brokerOrderId).toBe(res.takeProfit.brokerOrderId);
    expect(again.stopLoss.brokerOrderId).toBe(res.stopLoss.brokerOrderId);
    expect(venueOrders()).toHaveLength(2);
  });

  it("refuses a pair whose prices are out of order with both legs REJECTED and nothing placed", async () => {
    const res = await gateway.placeOcoPair(
      pair({ stopLoss: { clientOrderId: "br-99-1-sl", stopPrice: new Decimal("61000") } }),
    );
    expect(res.takeProfit).toMatchObject({
      status: "REJECTED",
      rejectReason: "oco-price-relation",
    });
    expect(res.stopLoss).toMatchObject({ status: "REJECTED", rejectReason: "oco-price-relation" });
    expect(venueOrders()).toHaveLength(0);
    expect(btc()).toEqual({ free: "0.01", locked: "0" });
  });

  it("refuses a pair the balance does not cover", async () => {
    const res = await gateway.placeOcoPair(pair({ quantity: new Decimal("0.02") }));
    expect(res.stopLoss).toMatchObject({
      status: "REJECTED",
      rejectReason: "insufficient-balance",
    });
    expect(venueOrders()).toHaveLength(0);
  });
});
