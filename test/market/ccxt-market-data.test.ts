// The ccxt-backed market data source against the local exchange twin, through the real ccxt
// Binance client: exact quotes and candles from the exchange's strings, candle ranges paged
// the way the MarketData contract describes, one request for many concurrent readers, unknown
// symbols with suggestions, and an outage (stale quotes, skipped alert runs) that heals itself.
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AlertService } from "../../src/domain/alerts/alert-service.ts";
import { AlertEvaluator } from "../../src/jobs/alerts.ts";
import { ShiftedClock } from "../../src/lib/clock.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { CcxtMarketData } from "../../src/market/ccxt/ccxt-market-data.ts";
import { LazyExchange } from "../../src/market/ccxt/client.ts";
import {
  INTERVALS,
  MarketUnavailableError,
  UnknownSymbolError,
  intervalMs,
} from "../../src/market/types.ts";
import { ExchangeTwin } from "../support/exchange-twin/index.ts";

const MINUTE = 60_000;
let twin: ExchangeTwin;
let clock: ShiftedClock;
let md: CcxtMarketData;

function source(): CcxtMarketData {
  // ccxt's limiter spaces requests by weight (up to ~1 s each); the twin needs no protection
  const client = new LazyExchange({ id: "binance", apiUrl: twin.url, rateLimitMs: 1 });
  return new CcxtMarketData({
    id: "binance",
    exchange: () => client.get(),
    clock: () => clock.now(),
  });
}

/** Moves the source's clock and the exchange's together, as real time would. */
function advance(ms: number): void {
  clock.advance(ms);
  twin.clockOffsetMs += ms;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e,
  );
}

beforeEach(async () => {
  twin = await ExchangeTwin.start();
  clock = new ShiftedClock();
  md = source();
});

afterEach(async () => {
  expect(twin.internalErrors).toEqual([]);
  await twin.stop();
});

describe("instruments and quotes", () => {
  it("lists the exchange's spot instruments with its exact trading rules, from one request", async () => {
    const list = await md.instruments();
    expect(await md.hasSymbol("btc/usdt")).toBe(true);
    expect(twin.requestCounts()).toEqual({ "GET /api/v3/exchangeInfo": 1 });
    expect(list.find((i) => i.symbol === "BTCUSDT")).toEqual({
      symbol: "BTCUSDT",
      exchange: "BINANCE",
      name: "BTC / USDT",
      assetType: "CRYPTO",
      baseAsset: "BTC",
      currency: "USDT",
      tickSize: "0.01",
      lotSize: "0.00001",
      minQty: "0.00001",
      minNotional: "5",
    });
    expect(list.find((i) => i.symbol === "SHIBUSDT")?.tickSize).toBe("0.00000001");
    expect(list).toHaveLength(twin.symbols().length);
    expect(md.synthetic).toBe(false);
    expect(md.name).toBe("ccxt:binance");
  });

  it("quotes last, bid and ask as the exchange's decimals", async () => {
    twin.setPrice("BTCUSDT", "91234.56", { bid: "91234.55", ask: "91234.58" });
    const q = await md.quote("BTCUSDT");
    expect(q.last.toFixed()).toBe("91234.56");
    expect(q.bid.toFixed()).toBe("91234.55");
    expect(q.ask.toFixed()).toBe("91234.58");
    expect(q.synthetic).toBe(false);
    expect(q.stale).toBeUndefined();
    twin.setPrice("PEPEUSDT", "0.00000451");
    expect((await md.quote("PEPEUSDT")).last.toFixed()).toBe("0.00000451");
  });

  it("refuses an unknown symbol with suggestions", async () => {
    const e = await failure(md.quote("BTCUSD"));
    expect(e).toBeInstanceOf(UnknownSymbolError);
    expect((e as UnknownSymbolError).suggestions[0]).toBe("BTCUSDT");
    expect(await failure(md.candles("NOPEUSDT", "1h"))).toBeInstanceOf(UnknownSymbolError);
    expect(twin.requestCount("/api/v3/ticker/24hr")).toBe(0);
  });
});

describe("one request for many readers", () => {
  it("coalesces 20 concurrent quotes into one request and caches it briefly", async () => {
    await md.instruments();
    twin.resetCounters();
    const quotes = await Promise.all(Array.from({ length: 20 }, () => md.quote("ETHUSDT")));
    expect(new Set(quotes.map((q) => q.last.toFixed())).size).toBe(1);
    expect(twin.requestCount("/api/v3/ticker/24hr")).toBe(1);
    await md.quote("ETHUSDT");
    expect(twin.requestCount("/api/v3/ticker/24hr")).toBe(1);
    twin.setPrice("ETHUSDT", "3111.11");
    advance(2_500); // past the quote TTL
    expect((await md.quote("ETHUSDT")).last.toFixed()).toBe("3111.11");
    expect(twin.requestCount("/api/v3/ticker/24hr")).toBe(2);
    // other symbols are requests of their own
    await Promise.all(["BTCUSDT", "SOLUSDT", "BTCUSDT"].map((s) => md.quote(s)));
    expect(twin.requestCount("/api/v3/ticker/24hr")).toBe(4);
  });

  it("fetches the quotes of a whole alert run in one request when told the symbols", async () => {
    await md.instruments();
    await md.quote("BTCUSDT");
    twin.resetCounters();
    twin.setPrice("ETHUSDT", "3210.98");
    const symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "NOPEUSDT", "ethusdt"];
    await md.prefetchQuotes(symbols);
    // BTCUSDT was fresh already; the unknown one is left to quote() to refuse
    expect(twin.requestCounts()).toEqual({ "GET /api/v3/ticker/24hr": 1 });
    const quotes = await Promise.all(
      ["BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT"].map((s) => md.quote(s)),
    );
    expect(twin.requestCount()).toBe(1);
    expect(quotes[1]!.last.toFixed()).toBe("3210.98");
    expect(quotes[1]!.ask.toFixed()).toBe("3210.99");
    // during an outage a prefetch is silent and quotes fall back to their last values
    await twin.down();
    advance(3_000);
    await md.prefetchQuotes(symbols);
    expect((await md.quote("XRPUSDT")).stale).toBe(true);
  });

  it("coalesces concurrent identical candle requests", async () => {
    await md.instruments();
    twin.resetCounters();
    const sets = await Promise.all(
      Array.from({ length: 20 }, () => md.candles("BTCUSDT", "15m", { limit: 100 })),
    );
    expect(sets.every((s) => s.length === 100)).toBe(true);
    expect(twin.requestCount("/api/v3/klines")).toBe(1);
  });
});

describe("candles", () => {
  it("serves every interval aligned, the last one forming at the current price", async () => {
    twin.setPrice("SOLUSDT", "141.23");
    for (const interval of INTERVALS) {
      const len = intervalMs(interval);
      const before = clock.now().getTime();
      const candles = await md.candles("SOLUSDT", interval, { limit: 3 });
      const after = clock.now().getTime();
      expect(candles, interval).toHaveLength(3);
      // (a minute may turn during the request)
      expect([before, after].map((t) => Math.floor(t / len) * len)).toContain(
        candles[2]!.openTime.getTime(),
      );
      for (const [i, c] of candles.entries()) {
        expect(c.openTime.getTime() % len).toBe(0);
        expect(c.closeTime.getTime()).toBe(c.openTime.getTime() + len - 1);
        if (i > 0) expect(c.openTime.getTime()).toBe(candles[i - 1]!.openTime.getTime() + len);
        expect(c.high.gte(Decimal.max(c.open, c.close))).toBe(true);
        expect(c.low.lte(Decimal.min(c.open, c.close))).toBe(true);
      }
      expect(candles[2]!.close.toFixed(), interval).toBe("141.23");
    }
  });

  it("pages long ranges (1000 candles a request) into one continuous series", async () => {
    const now = clock.now().getTime();
    const from = new Date(Math.floor(now / MINUTE) * MINUTE - 2_500 * MINUTE);
    const candles = await md.candles("BTCUSDT", "1m", { from });
    expect(candles).toHaveLength(2_501);
    expect(candles[0]!.openTime.getTime()).toBe(Math.ceil(from.getTime() / MINUTE) * MINUTE);
    for (let i = 1; i < candles.length; i++) {
      expect(candles[i]!.openTime.getTime() - candles[i - 1]!.openTime.getTime()).toBe(MINUTE);
    }
    expect(twin.requestCount("/api/v3/klines")).toBe(3);

    // the same values the exchange sent, digit for digit
    const start = candles[1_234]!.openTime.getTime();
    const raw = (await fetch(
      `${twin.url}/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${start}&limit=1`,
    ).then((r) => r.json())) as string[][];
    expect(candles[1_234]!.open.eq(raw[0]![1]!)).toBe(true);
    expect(candles[1_234]!.volume.eq(raw[0]![5]!)).toBe(true);
  });

  it("keeps the range rules: `to` in the past, `limit`, the default count", async () => {
    const hour = intervalMs("1h");
    const now = clock.now().getTime();
    const to = new Date(now - 30 * hour - 123);
    const past = await md.candles("ETHUSDT", "1h", { to, limit: 5 });
    expect(past.map((c) => c.openTime.getTime())).toEqual(
      [4, 3, 2, 1, 0].map((k) => Math.floor(to.getTime() / hour) * hour - k * hour),
    );
    const fromTo = await md.candles("ETHUSDT", "1h", {
      from: new Date(now - 10 * hour),
      to: new Date(now - 5 * hour),
    });
    expect(fromTo).toHaveLength(5);
    expect(await md.candles("ETHUSDT", "4h")).toHaveLength(500);
    expect(await md.candles("ETHUSDT", "1d", { limit: 0 })).toEqual([]);
    // a range in the future ends now
    const future = await md.candles("ETHUSDT", "1d", {
      to: new Date(now + 10 * 86_400_000),
      limit: 2,
    });
    expect(future[1]!.openTime.getTime()).toBe(Math.floor(now / 86_400_000) * 86_400_000);
  });
});

describe("outage and recovery", () => {
  it("serves the last quote marked stale, skips alert runs, and recovers by itself", async () => {
    twin.setPrice("BTCUSDT", "90500.00");
    const fresh = await md.quote("BTCUSDT");
    expect(await md.reachable()).toBe(true);

    await twin.down();
    advance(60_000);
    const stale = await md.quote("BTCUSDT");
    expect(stale.stale).toBe(true);
    expect(stale.last.toFixed()).toBe("90500");
    expect(stale.time).toEqual(fresh.time); // its age shows
    expect(await md.reachable()).toBe(false);
    const noHistory = await failure(md.quote("ETHUSDT"));
    expect(noHistory).toBeInstanceOf(MarketUnavailableError);
    expect(await failure(md.candles("BTCUSDT", "1m", { limit: 5 }))).toBeInstanceOf(
      MarketUnavailableError,
    );
    // the market list learned before the outage still answers
    expect(await md.hasSymbol("ETHUSDT")).toBe(true);

    const logs: string[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void logs.push(line) });
    const evaluator = new AlertEvaluator({
      alerts: {
        evaluateAll: () => Promise.reject(new Error("alerts must not run during an outage")),
      } as unknown as AlertService,
      market: md,
      notifier: { notify: () => Promise.resolve() } as never,
      clock,
      logger,
    });
    expect(await evaluator.runOnce()).toMatchObject({ evaluated: 0, marketDown: true });
    expect(logs.join("")).toContain("alert run skipped: exchange unreachable");

    twin.setPrice("BTCUSDT", "91000.00");
    await twin.up();
    advance(6_000); // past the pause after a failure
    const back = await md.quote("BTCUSDT");
    expect(back.stale).toBeUndefined();
    expect(back.last.toFixed()).toBe("91000");
    expect(await md.reachable()).toBe(true);
    expect(await md.candles("BTCUSDT", "1m", { limit: 5 })).toHaveLength(5);
  });

  it("fails fast for a few seconds after a failure instead of hammering the exchange", async () => {
    await md.quote("BTCUSDT");
    await twin.down("maintenance");
    advance(3_000);
    twin.resetCounters();
    expect((await md.quote("BTCUSDT")).stale).toBe(true);
    expect(twin.requestCount()).toBe(1);
    for (let i = 0; i < 10; i++) {
      advance(300);
      expect((await md.quote("BTCUSDT")).stale).toBe(true);
    }
    expect(twin.requestCount()).toBe(1);
    advance(5_000);
    await md.quote("BTCUSDT");
    expect(twin.requestCount()).toBe(2);
    await twin.up();
    advance(5_001);
    expect((await md.quote("BTCUSDT")).stale).toBeUndefined();
  });

  it("treats rate limiting as unavailability, not as an error of the symbol", async () => {
    await md.instruments();
    twin.fault({ path: "/api/v3/ticker/24hr", kind: "429", retryAfterSec: 2 });
    expect(await failure(md.quote("XRPUSDT"))).toBeInstanceOf(MarketUnavailableError);
  });
});
