import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/lib/clock.ts";
import { dec, isMultipleOf, maxDec, minDec, sumDec } from "../../../src/lib/decimal.ts";
import { INSTRUMENT_CATALOG, type SyntheticInstrumentSpec } from "../../../src/market/catalog.ts";
import { OfflineMarketData } from "../../../src/market/offline/offline-market-data.ts";
import {
  type Candle,
  DEFAULT_CANDLE_LIMIT,
  INTERVALS,
  type Interval,
  MAX_CANDLE_LIMIT,
  UnknownSymbolError,
  intervalMs,
} from "../../../src/market/types.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.parse("2026-11-20T15:42:17.250Z");
const SYMBOLS = INSTRUMENT_CATALOG.map((s) => s.symbol);
const spec = (symbol: string): SyntheticInstrumentSpec =>
  INSTRUMENT_CATALOG.find((s) => s.symbol === symbol)!;

function source(now = NOW, seed: string | number = "test") {
  return new OfflineMarketData({ seed, clock: () => new Date(now) });
}

/** A candle as plain strings, for exact comparisons. */
function plain(c: Candle) {
  return {
    openTime: c.openTime.toISOString(),
    closeTime: c.closeTime.toISOString(),
    open: c.open.toFixed(),
    high: c.high.toFixed(),
    low: c.low.toFixed(),
    close: c.close.toFixed(),
    volume: c.volume.toFixed(),
  };
}

/** The merge of consecutive candles, as a coarser candle of the same span would be. */
function merge(parts: Candle[]) {
  return {
    open: parts[0]!.open.toFixed(),
    high: parts
      .map((c) => c.high)
      .reduce(maxDec)
      .toFixed(),
    low: parts
      .map((c) => c.low)
      .reduce(minDec)
      .toFixed(),
    close: parts.at(-1)!.close.toFixed(),
    volume: sumDec(parts.map((c) => c.volume)).toFixed(),
  };
}

const ohlcv = (c: Candle) => {
  const { open, high, low, close, volume } = plain(c);
  return { open, high, low, close, volume };
};

// times between 2015 and 2035, at millisecond resolution; past ones end a day before NOW
const anyTime = fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2035, 0, 1) });
const anyPastTime = fc.integer({ min: Date.UTC(2015, 0, 1), max: NOW - DAY });
const anySymbol = fc.constantFrom(...SYMBOLS);

describe("OfflineMarketData: determinism", () => {
  it("gives the same prices for the same seed and time across instances and call orders", async () => {
    const a = source();
    // tiny caches force recomputation in a different order
    const b = new OfflineMarketData({
      seed: "test",
      clock: () => new Date(NOW),
      cache: { anchorBlocks: 1, days: 1, hours: 1, minutes: 1, seconds: 1 },
    });
    const requests: [string, Interval, number][] = [
      ["BTCUSDT", "1m", 120],
      ["AAPL", "1h", 100],
      ["PEPEUSDT", "15m", 50],
      ["BTCUSDT", "1d", 400],
      ["ETHUSDT", "4h", 30],
    ];
    const quotesA = [];
    const candlesA = [];
    for (const [symbol, interval, limit] of requests) {
      quotesA.push(await a.quote(symbol));
      candlesA.push((await a.candles(symbol, interval, { limit })).map(plain));
    }
    const quotesB = [];
    const candlesB = [];
    for (const [symbol, interval, limit] of [...requests].reverse()) {
      candlesB.unshift((await b.candles(symbol, interval, { limit })).map(plain));
      quotesB.unshift(await b.quote(symbol));
    }
    expect(candlesB).toEqual(candlesA);
    expect(quotesB.map((q) => [q.bid.toFixed(), q.ask.toFixed(), q.last.toFixed()])).toEqual(
      quotesA.map((q) => [q.bid.toFixed(), q.ask.toFixed(), q.last.toFixed()]),
    );
  });

  it("gives the same past whatever time it is now", async () => {
    const early = await source(NOW).candles("SOLUSDT", "1h", {
      to: new Date(NOW - 30 * DAY),
      limit: 48,
    });
    const late = await source(NOW + 400 * DAY).candles("SOLUSDT", "1h", {
      to: new Date(NOW - 30 * DAY),
      limit: 48,
    });
    expect(late.map(plain)).toEqual(early.map(plain));
  });

  it("gives different paths for different seeds", async () => {
    const a = await source(NOW, 1).candles("BTCUSDT", "1h", { limit: 24 });
    const b = await source(NOW, 2).candles("BTCUSDT", "1h", { limit: 24 });
    expect(a.map((c) => c.close.toFixed())).not.toEqual(b.map((c) => c.close.toFixed()));
  });

  it("reproduces pinned values, so the model cannot drift unnoticed between versions or processes", async () => {
    const pinned: SyntheticInstrumentSpec = {
      symbol: "PINUSDT",
      exchange: "TEST",
      name: "Pinned",
      assetType: "CRYPTO",
      baseAsset: "PIN",
      currency: "USDT",
      tickSize: "0.01",
      lotSize: "0.001",
      minQty: "0.001",
      minNotional: "5",
      referencePrice: "100.00",
      annualVolatility: 0.8,
    };
    const md = new OfflineMarketData({
      seed: "pin",
      clock: () => new Date("2025-06-01T12:34:56.789Z"),
      instruments: [pinned],
    });
    const [day] = await md.candles("PINUSDT", "1d", {
      from: new Date("2025-05-01T00:00:00Z"),
      to: new Date("2025-05-02T00:00:00Z"),
    });
    const quote = await md.quote("PINUSDT");
    expect({ day: day && ohlcv(day), last: quote.last.toFixed() }).toMatchInlineSnapshot(`
      {
        "day": {
          "close": "110.72",
          "high": "118.96",
          "low": "110.39",
          "open": "118.59",
          "volume": "2297451.405",
        },
        "last": "115.95",
      }
    `);
  });
});

describe("OfflineMarketData: candles of every interval merge the same 1-minute path", () => {
  async function checkMerge(
    symbol: string,
    coarse: Interval,
    fine: Interval,
    openMs: number,
    to: number,
  ) {
    const md = source(to);
    const ratio = intervalMs(coarse) / intervalMs(fine);
    const end = Math.min(openMs + intervalMs(coarse), to);
    const [big] = await md.candles(symbol, coarse, {
      from: new Date(openMs),
      to: new Date(end),
      limit: 1e9,
    });
    const small = await md.candles(symbol, fine, {
      from: new Date(openMs),
      to: new Date(end),
      limit: 1e9,
    });
    const parts = small.filter((c) => c.openTime.getTime() < openMs + intervalMs(coarse));
    expect(parts.length).toBeLessThanOrEqual(ratio);
    expect(ohlcv(big!)).toEqual(merge(parts));
  }

  it("1h = 60 × 1m, 1d = 24 × 1h, 4h = 4 × 1h, 15m = 15 × 1m, 30m = 6 × 5m for closed candles", async () => {
    await fc.assert(
      fc.asyncProperty(anySymbol, anyPastTime, async (symbol, t) => {
        const hour = Math.floor(t / HOUR) * HOUR;
        const day = Math.floor(t / DAY) * DAY;
        await checkMerge(symbol, "1h", "1m", hour, NOW);
        await checkMerge(symbol, "1d", "1h", day, NOW);
        await checkMerge(symbol, "4h", "1h", Math.floor(t / (4 * HOUR)) * 4 * HOUR, NOW);
        await checkMerge(symbol, "15m", "1m", Math.floor(t / (15 * MINUTE)) * 15 * MINUTE, NOW);
        await checkMerge(symbol, "30m", "5m", Math.floor(t / (30 * MINUTE)) * 30 * MINUTE, NOW);
      }),
      { numRuns: 40 },
    );
  });

  it("the forming candle of every interval merges the forming 1m candles", async () => {
    await fc.assert(
      fc.asyncProperty(
        anySymbol,
        anyTime,
        fc.constantFrom(...INTERVALS),
        async (symbol, now, interval) => {
          const open = Math.floor(now / intervalMs(interval)) * intervalMs(interval);
          await checkMerge(symbol, interval, "1m", open, now);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("OfflineMarketData: quotes", () => {
  it("quotes last = close of the current 1m candle, inside its range, bid < last < ask on the tick grid", async () => {
    await fc.assert(
      fc.asyncProperty(anySymbol, anyTime, async (symbol, now) => {
        const md = source(now);
        const quote = await md.quote(symbol);
        const [current] = await md.candles(symbol, "1m", { limit: 1 });
        const tick = dec(spec(symbol).tickSize);
        expect(quote.symbol).toBe(symbol);
        expect(quote.synthetic).toBe(true);
        expect(quote.time.getTime()).toBe(now);
        expect(current!.openTime.getTime()).toBe(Math.floor(now / MINUTE) * MINUTE);
        expect(quote.last.eq(current!.close)).toBe(true);
        expect(quote.last.gte(current!.low) && quote.last.lte(current!.high)).toBe(true);
        expect(quote.bid.lt(quote.last) || quote.bid.eq(tick)).toBe(true);
        expect(quote.ask.gt(quote.last)).toBe(true);
        expect(quote.bid.gt(0)).toBe(true);
        for (const p of [quote.bid, quote.ask, quote.last])
          expect(isMultipleOf(p, tick)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("quotes realistic spreads: a few basis points for majors, at least a cent for US shares", async () => {
    const md = source();
    const bps = async (symbol: string) => {
      const q = await md.quote(symbol);
      return q.ask.minus(q.bid).div(q.last).mul(10_000).toNumber();
    };
    expect(await bps("BTCUSDT")).toBeGreaterThan(0.5);
    expect(await bps("BTCUSDT")).toBeLessThan(5);
    expect(await bps("ETHUSDT")).toBeLessThan(8);
    expect(await bps("PEPEUSDT")).toBeGreaterThan(await bps("BTCUSDT"));
    const aapl = await md.quote("AAPL");
    expect(aapl.ask.minus(aapl.last).gte(0.005)).toBe(true);
    expect(aapl.last.minus(aapl.bid).gte(0.005)).toBe(true);
    expect(aapl.ask.minus(aapl.bid).lte(0.1)).toBe(true);
  });

  it("moves with the seconds of a fixed clock stepped by hand", async () => {
    const clock = new ManualClock("2026-11-20T15:42:00.000Z");
    const md = new OfflineMarketData({ seed: "test", clock });
    const lasts = new Set<string>();
    for (let s = 0; s < 60; s++) {
      const last = (await md.quote("BTCUSDT")).last.toFixed();
      lasts.add(last);
      // within a second the price holds
      clock.advance(999);
      expect((await md.quote("BTCUSDT")).last.toFixed()).toBe(last);
      clock.advance(1);
    }
    expect(lasts.size).toBeGreaterThan(20);
  });

  it("accepts the symbol as people type it", async () => {
    const md = source();
    const quote = await md.quote(" btc/usdt ");
    expect(quote.symbol).toBe("BTCUSDT");
    expect(await md.hasSymbol("eth-usdt")).toBe(true);
    expect(await md.hasSymbol("brk.b")).toBe(true);
    expect(await md.hasSymbol("NOPE")).toBe(false);
  });
});

describe("OfflineMarketData: grids and realism", () => {
  it("puts every price on the tick grid and every volume on the lot grid, with consistent OHLC", async () => {
    const md = source();
    for (const s of INSTRUMENT_CATALOG) {
      for (const interval of ["1m", "1h", "1d"] as const) {
        const candles = await md.candles(s.symbol, interval, { limit: 30 });
        expect(candles).toHaveLength(30);
        for (const c of candles) {
          for (const p of [c.open, c.high, c.low, c.close]) {
            expect(p.gt(0)).toBe(true);
            expect(isMultipleOf(p, dec(s.tickSize))).toBe(true);
          }
          expect(c.volume.gte(0) && isMultipleOf(c.volume, dec(s.lotSize))).toBe(true);
          expect(c.high.gte(maxDec(c.open, c.close)) && c.low.lte(minDec(c.open, c.close))).toBe(
            true,
          );
        }
      }
    }
  });

  it("has the instrument's volatility over a year of daily candles and stays near its reference", async () => {
    const md = source();
    const ratios: number[] = [];
    for (const s of INSTRUMENT_CATALOG) {
      const candles = await md.candles(s.symbol, "1d", { limit: 366 });
      const closes = candles.map((c) => c.close.toNumber());
      const returns = closes.slice(1).map((c, i) => Math.log(c / closes[i]!));
      const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
      const variance = returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1);
      const annualised = Math.sqrt(variance * 365);
      ratios.push(annualised / s.annualVolatility);
      expect(annualised, s.symbol).toBeGreaterThan(0.6 * s.annualVolatility);
      expect(annualised, s.symbol).toBeLessThan(1.5 * s.annualVolatility);
      const ref = Number(s.referencePrice);
      for (const c of candles) {
        expect(c.low.toNumber(), s.symbol).toBeGreaterThan(ref / 5);
        expect(c.high.toNumber(), s.symbol).toBeLessThan(ref * 5);
      }
    }
    ratios.sort((a, b) => a - b);
    const median = ratios[ratios.length >> 1]!;
    expect(median).toBeGreaterThan(0.85);
    expect(median).toBeLessThan(1.15);
  });

  it("never leaves [reference / 5, reference × 5], even over decades", async () => {
    const md = source();
    for (const symbol of ["PEPEUSDT", "SUIUSDT", "TSLA"]) {
      const ref = Number(spec(symbol).referencePrice);
      let to = new Date(NOW);
      for (let page = 0; page < 2; page++) {
        const candles = await md.candles(symbol, "1d", { to, limit: MAX_CANDLE_LIMIT });
        for (const c of candles) {
          expect(c.low.toNumber()).toBeGreaterThan(ref / 5);
          expect(c.high.toNumber()).toBeLessThan(ref * 5);
        }
        to = new Date(candles[0]!.openTime.getTime() - 1);
      }
    }
  });

  it("trades realistic volumes: coins in base units, shares in whole shares, busier in the US session", async () => {
    const md = source();
    const days = async (symbol: string) =>
      (await md.candles(symbol, "1d", { limit: 31 })).slice(0, 30).map((c) => c.volume.toNumber());
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const btc = avg(await days("BTCUSDT"));
    expect(btc).toBeGreaterThan(1_000);
    expect(btc).toBeLessThan(100_000);
    const aapl = avg(await days("AAPL"));
    expect(aapl).toBeGreaterThan(1_000_000);
    expect(aapl).toBeLessThan(100_000_000);
    const hours = await md.candles("AAPL", "1h", { limit: 24 * 30 + 1 });
    const byHour = (h: number) =>
      avg(hours.filter((c) => c.openTime.getUTCHours() === h).map((c) => c.volume.toNumber()));
    expect(byHour(14)).toBeGreaterThan(10 * byHour(3));
  });
});

describe("OfflineMarketData: time", () => {
  it("never changes a closed candle as the clock advances, while the forming one grows", async () => {
    const clock = new ManualClock("2026-11-20T15:41:30.000Z");
    const md = new OfflineMarketData({ seed: "test", clock });
    const closed = new Map<number, ReturnType<typeof plain>>();
    let previous: Candle | null = null;
    for (let step = 0; step < 150; step++) {
      const now = clock.now().getTime();
      const candles = await md.candles("ETHUSDT", "1m", { limit: 6 });
      for (const c of candles.filter((c) => c.closeTime.getTime() < now)) {
        const seen = closed.get(c.openTime.getTime());
        if (seen) expect(plain(c)).toEqual(seen);
        else closed.set(c.openTime.getTime(), plain(c));
      }
      const current = candles.at(-1)!;
      expect(current.closeTime.getTime()).toBeGreaterThanOrEqual(now);
      if (previous && current.openTime.getTime() === previous.openTime.getTime()) {
        expect(current.open.eq(previous.open)).toBe(true);
        expect(current.high.gte(previous.high)).toBe(true);
        expect(current.low.lte(previous.low)).toBe(true);
        expect(current.volume.gte(previous.volume)).toBe(true);
      } else if (previous) {
        // the minute closed: it kept everything it had while forming, and the next opens at its close
        const last = candles.at(-2)!;
        expect(last.openTime.getTime()).toBe(previous.openTime.getTime());
        expect(last.open.eq(previous.open)).toBe(true);
        expect(last.high.gte(previous.high) && last.low.lte(previous.low)).toBe(true);
        expect(last.volume.gte(previous.volume)).toBe(true);
        expect(current.open.eq(last.close)).toBe(true);
      }
      previous = current;
      clock.advance(1000);
    }
    expect(closed.size).toBeGreaterThanOrEqual(7);
  });

  it("starts each candle from the previous close", async () => {
    const candles = await source().candles("SOLUSDT", "15m", { limit: 200 });
    for (let i = 1; i < candles.length; i++)
      expect(candles[i]!.open.eq(candles[i - 1]!.close)).toBe(true);
  });
});

describe("OfflineMarketData: candle ranges", () => {
  it("returns the most recent `limit` candles up to `to`, ascending and contiguous", async () => {
    const md = source();
    const to = new Date("2026-11-10T10:20:30Z");
    const candles = await md.candles("BTCUSDT", "1h", { to, limit: 5 });
    expect(candles.map((c) => c.openTime.toISOString())).toEqual([
      "2026-11-10T06:00:00.000Z",
      "2026-11-10T07:00:00.000Z",
      "2026-11-10T08:00:00.000Z",
      "2026-11-10T09:00:00.000Z",
      "2026-11-10T10:00:00.000Z",
    ]);
    for (const c of candles) expect(c.closeTime.getTime()).toBe(c.openTime.getTime() + HOUR - 1);
    // the last one is the hour as it stood at `to`
    const minutes = await md.candles("BTCUSDT", "1m", {
      from: new Date("2026-11-10T10:00:00Z"),
      to,
    });
    expect(minutes).toHaveLength(21);
    expect(ohlcv(candles.at(-1)!)).toEqual(merge(minutes));
  });

  it("keeps candles opening in [from, to]", async () => {
    const md = source();
    const candles = await md.candles("AAPL", "4h", {
      from: new Date("2026-11-01T01:00:00Z"),
      to: new Date("2026-11-02T00:00:00Z"),
    });
    expect(candles.map((c) => c.openTime.toISOString())).toEqual([
      "2026-11-01T04:00:00.000Z",
      "2026-11-01T08:00:00.000Z",
      "2026-11-01T12:00:00.000Z",
      "2026-11-01T16:00:00.000Z",
      "2026-11-01T20:00:00.000Z",
      "2026-11-02T00:00:00.000Z",
    ]);
  });

  it("defaults to the latest candles up to now, and never shows the future", async () => {
    const md = source();
    const latest = await md.candles("BTCUSDT", "1m");
    expect(latest).toHaveLength(DEFAULT_CANDLE_LIMIT);
    expect(latest.at(-1)!.openTime.getTime()).toBe(Math.floor(NOW / MINUTE) * MINUTE);
    const future = await md.candles("BTCUSDT", "1m", { to: new Date(NOW + DAY), limit: 3 });
    expect(future.map(plain)).toEqual(latest.slice(-3).map(plain));
  });

  it("caps long ranges at the most recent MAX_CANDLE_LIMIT and returns nothing for empty ranges", async () => {
    const md = source();
    const all = await md.candles("BTCUSDT", "1m", { from: new Date(NOW - 30 * DAY) });
    expect(all).toHaveLength(MAX_CANDLE_LIMIT);
    expect(all.at(-1)!.openTime.getTime()).toBe(Math.floor(NOW / MINUTE) * MINUTE);
    expect(await md.candles("BTCUSDT", "1m", { from: new Date(NOW + MINUTE) })).toEqual([]);
    expect(await md.candles("BTCUSDT", "1m", { limit: 0 })).toEqual([]);
    expect(await md.candles("BTCUSDT", "1h", { limit: 2.7 })).toHaveLength(2);
  });

  it("refuses invalid and out-of-range times", async () => {
    const md = source();
    await expect(md.candles("BTCUSDT", "1m", { to: new Date(Number.NaN) })).rejects.toThrow(
      RangeError,
    );
    await expect(
      md.candles("BTCUSDT", "1m", { to: new Date("1850-01-01T00:00:00Z") }),
    ).rejects.toThrow(RangeError);
  });
});

describe("OfflineMarketData: instruments and symbols", () => {
  it("lists the catalog with its trading rules, as copies", async () => {
    const md = source();
    const list = await md.instruments();
    expect(list.map((s) => s.symbol)).toEqual(SYMBOLS);
    expect(list.find((s) => s.symbol === "BTCUSDT")).toMatchObject({
      tickSize: "0.01",
      lotSize: "0.00001",
    });
    list[0]!.tickSize = "999";
    expect((await md.instruments())[0]!.tickSize).not.toBe("999");
    expect(md.name).toBe("offline");
    expect(md.synthetic).toBe(true);
  });

  it("prices extra instruments and lets them replace a catalog entry", async () => {
    const extra = Array.from({ length: 200 }, (_, i): SyntheticInstrumentSpec => ({
      symbol: `GEN${i}USDT`,
      exchange: "BENCH",
      name: `Generated ${i}`,
      assetType: "CRYPTO",
      baseAsset: `GEN${i}`,
      currency: "USDT",
      tickSize: "0.001",
      lotSize: "0.1",
      minQty: "0.1",
      minNotional: "5",
      referencePrice: (1 + i).toFixed(3),
      annualVolatility: 0.5 + (i % 7) / 10,
    }));
    const btc = { ...spec("BTCUSDT"), referencePrice: "10.00", tickSize: "0.01" };
    const md = new OfflineMarketData({
      seed: "x",
      clock: () => new Date(NOW),
      instruments: [...extra, btc],
    });
    expect(await md.instruments()).toHaveLength(SYMBOLS.length + 200);
    const q = await md.quote("GEN199USDT");
    expect(q.last.toNumber()).toBeGreaterThan(200 / 5);
    expect(isMultipleOf(q.last, dec("0.001"))).toBe(true);
    expect((await md.quote("BTCUSDT")).last.toNumber()).toBeLessThan(50);
  });

  it("rejects an unknown symbol with suggestions", async () => {
    const md = source();
    const error = await md.quote("BTCUSD").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownSymbolError);
    expect((error as UnknownSymbolError).field).toBe("symbol");
    expect((error as UnknownSymbolError).key).toBe("error-unknown-symbol");
    expect((error as UnknownSymbolError).suggestions[0]).toBe("BTCUSDT");
    expect((error as UnknownSymbolError).params.symbol).toBe("BTCUSD");
    const apple = await md.candles("APPL", "1d").catch((e: unknown) => e);
    expect(apple).toBeInstanceOf(UnknownSymbolError);
    expect((apple as UnknownSymbolError).suggestions[0]).toBe("AAPL");
  });

  it("refuses instruments it cannot price", () => {
    const bad = { ...spec("BTCUSDT"), symbol: "BADUSDT" };
    expect(() => new OfflineMarketData({ instruments: [{ ...bad, tickSize: "0" }] })).toThrow(
      RangeError,
    );
    expect(
      () => new OfflineMarketData({ instruments: [{ ...bad, referencePrice: "-1" }] }),
    ).toThrow(RangeError);
    expect(
      () => new OfflineMarketData({ instruments: [{ ...bad, annualVolatility: Number.NaN }] }),
    ).toThrow(RangeError);
  });
});
