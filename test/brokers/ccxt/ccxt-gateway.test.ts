// The ccxt gateway on its own against the exchange twin (the real ccxt client): fills paged by
// the per-symbol cursor, a 418 ban waited out without a single request in between, a cancel of
// an order that has already filled, and requests the venue could not take refused before sending.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AccountSymbols } from "../../../src/brokers/ccxt/account-symbols.ts";
import { CcxtGateway } from "../../../src/brokers/ccxt/ccxt-gateway.ts";
import { parseCursor } from "../../../src/brokers/ccxt/fill-cursor.ts";
import { BrokerRateLimitedError } from "../../../src/brokers/gateway-errors.ts";
import type { OrderRef, PlaceOrderRequest } from "../../../src/brokers/types.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { systemClock } from "../../../src/lib/clock.ts";
import { ExchangeTwin } from "../../support/exchange-twin/index.ts";

const KEY = "k".repeat(64);
const SECRET = "s".repeat(64);

/** The account's symbols as the domain would report them: those the test placed orders on. */
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
let symbols: KnownSymbols;
let gateway: CcxtGateway;

const request = (over: Partial<PlaceOrderRequest>): PlaceOrderRequest => ({
  clientOrderId: `t-${Math.random().toString(36).slice(2)}`,
  symbol: "BTCUSDT",
  side: "BUY",
  type: "MARKET",
  timeInForce: "GTC",
  quantity: new Decimal("0.01"),
  ...over,
});

beforeEach(async () => {
  twin = await ExchangeTwin.start();
  twin.registerKey({ apiKey: KEY, secret: SECRET });
  twin.addBalance("main", "USDT", "100000");
  symbols = new KnownSymbols();
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
    symbols,
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

describe("fills", () => {
  it("pages fills of several symbols by the per-symbol cursor, each once, oldest first", async () => {
    symbols.since.set("BTCUSDT", Date.now() - 1_000);
    symbols.since.set("ETHUSDT", Date.now() - 1_000);
    for (let i = 0; i < 3; i++) await gateway.placeOrder(request({}));
    for (let i = 0; i < 2; i++) await gateway.placeOrder(request({ symbol: "ETHUSDT" }));

    const first = await gateway.fetchFillsSince(null, 3);
    expect(first.hasMore).toBe(true);
    expect(first.fills).toHaveLength(3);
    const rest = await gateway.fetchFillsSince(first.cursor, 3);
    const again = await gateway.fetchFillsSince(rest.cursor, 3);
    const all = [...first.fills, ...rest.fills, ...again.fills];
    expect(all.map((f) => f.brokerTradeId).sort()).toEqual(
      twin
        .trades()
        .map((t) => String(t.id))
        .sort(),
    );
    expect(again.fills).toEqual([]);
    expect(again.hasMore).toBe(false);
    expect(again.cursor).toBe(rest.cursor);
    // exact strings from the venue, our client ids on each fill
    const btc = all.find((f) => f.symbol === "BTCUSDT")!;
    expect(btc.quantity.toFixed()).toBe("0.01");
    expect(btc.fee.toFixed()).toBe("0.00001");
    expect(btc.clientOrderId).toMatch(/^t-/);
    expect([...parseCursor(again.cursor).keys()].sort()).toEqual(["BTCUSDT", "ETHUSDT"]);
  });

  it("finds fills on assets the account holds, from when the account was added", async () => {
    twin.placeExternalOrder("main", {
      symbol: "SOLUSDT",
      side: "BUY",
      type: "MARKET",
      quantity: "2",
    });
    const page = await gateway.fetchFillsSince(null);
    expect(page.fills.map((f) => [f.symbol, f.quantity.toFixed(), f.clientOrderId])).toEqual([
      ["SOLUSDT", "2", String(twin.orders()[0]!.clientOrderId)],
    ]);
  });
});

describe("the venue's limits and refusals", () => {
  it("waits out nothing longer than allowed: a 418 ban fails fast and sends nothing until it ends", async () => {
    await gateway.balances();
    twin.fault({ path: "/api/v3/account", kind: "418", retryAfterSec: 30 });
    await expect(gateway.balances()).rejects.toBeInstanceOf(BrokerRateLimitedError);
    const before = twin.requestCount();
    await expect(gateway.balances()).rejects.toBeInstanceOf(BrokerRateLimitedError);
    await expect(gateway.placeOrder(request({}))).rejects.toBeInstanceOf(BrokerRateLimitedError);
    expect(twin.requestCount()).toBe(before);
    expect(twin.orders()).toEqual([]);
  });

  it("answers a cancel of an order that has filled meanwhile with the order as it stands", async () => {
    const last = new Decimal(twin.price("BTCUSDT").last);
    const placed = await gateway.placeOrder(
      request({ type: "LIMIT", price: last.minus(100).toDecimalPlaces(2) }),
    );
    twin.setPrice("BTCUSDT", last.minus(200).toFixed(2));
    const canceled = await gateway.cancelOrder({
      brokerOrderId: placed.brokerOrderId,
      symbol: "BTCUSDT",
    });
    expect(canceled).toMatchObject({ status: "FILLED", brokerOrderId: placed.brokerOrderId });
    expect(canceled.filledQuantity.toFixed()).toBe("0.01");
  });

  it("refuses what Binance cannot take without sending it: trailing by amount, an odd delta, unknown symbols", async () => {
    const byAmount = await gateway.placeOrder(
      request({ side: "SELL", type: "TRAILING", trailAmount: new Decimal("100") }),
    );
    expect(byAmount).toMatchObject({
      status: "REJECTED",
      rejectReason: "trail-amount-unsupported",
    });
    const tooWide = await gateway.placeOrder(
      request({ side: "SELL", type: "TRAILING", trailPercent: new Decimal("25") }),
    );
    expect(tooWide).toMatchObject({ status: "REJECTED", rejectReason: "trailing-delta" });
    const unknown = await gateway.placeOrder(request({ symbol: "NOPEUSDT" }));
    expect(unknown).toMatchObject({ status: "REJECTED", rejectReason: "unknown-symbol" });
    expect(twin.requestCount("/api/v3/order", "POST")).toBe(0);
  });
});
