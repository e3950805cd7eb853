// Where a ccxt client points: the exchange API base URL from configuration (global or per
// exchange), and the market data source name, validated like every other variable.
import { describe, expect, it } from "vitest";
import pino from "pino";
import { createApp } from "../../src/app.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { createRequire } from "node:module";
import {
  UnknownExchangeError,
  apiUrlFor,
  ccxtExchangeIds,
  createExchange,
  loadCcxtErrors,
  replaceOrigin,
} from "../../src/market/ccxt/client.ts";

const BASE = { BOT_TOKEN: "123456:ABCDEFGHIJKLMNOP", ADMIN_TELEGRAM_IDS: "1" };

describe("exchange API URL configuration", () => {
  it("defaults to offline market data and the exchange's own hosts", () => {
    const config = loadConfig(BASE);
    expect(config.MARKET_DATA).toBe("offline");
    expect(apiUrlFor("binance", config)).toBeUndefined();
  });

  it("takes EXCHANGE_API_URL_<ID> before EXCHANGE_API_URL", () => {
    const config = loadConfig({
      ...BASE,
      MARKET_DATA: "Binance",
      EXCHANGE_API_URL: "http://127.0.0.1:9000/",
      EXCHANGE_API_URL_BINANCE: "https://proxy.example:8443/bnb",
    });
    expect(config.MARKET_DATA).toBe("binance");
    expect(apiUrlFor("binance", config)).toBe("https://proxy.example:8443/bnb");
    expect(apiUrlFor("kraken", config)).toBe("http://127.0.0.1:9000");
  });

  it("names a malformed URL or source", () => {
    expect(() =>
      loadConfig({ ...BASE, EXCHANGE_API_URL_BINANCE: "ftp:/x", MARKET_DATA: "bin ance" }),
    ).toThrow(ConfigError);
    try {
      loadConfig({ ...BASE, EXCHANGE_API_URL_BINANCE: "ftp:/x", MARKET_DATA: "bin ance" });
    } catch (e) {
      expect((e as ConfigError).problems).toEqual([
        "MARKET_DATA must be offline, binance or a ccxt exchange id",
        "EXCHANGE_API_URL_BINANCE must be an http(s) URL",
      ]);
    }
  });

  it("replaces scheme and host, keeping path and query, with an optional path prefix", () => {
    expect(replaceOrigin("https://api.binance.com/api/v3", "http://127.0.0.1:9000")).toBe(
      "http://127.0.0.1:9000/api/v3",
    );
    expect(replaceOrigin("https://api.binance.com/sapi/v1?x=1", "https://p.example/bnb/")).toBe(
      "https://p.example/bnb/sapi/v1?x=1",
    );
    expect(replaceOrigin("not a url", "http://127.0.0.1:9000")).toBe("not a url");
  });

  it("stops the start with a configuration error when MARKET_DATA names no ccxt exchange", async () => {
    const config = loadConfig({
      ...BASE,
      MARKET_DATA: "nosuchexchange",
      // never opened: the source is checked before the database
      DATABASE_URL: "postgresql://127.0.0.1:1/never",
    });
    const started = createApp(config, { logger: pino({ level: "silent" }) });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/MARKET_DATA "nosuchexchange" is not an exchange/);
  });
});

describe("ccxt loaded one exchange at a time", () => {
  it("knows exactly the exchanges ccxt's own entry lists", async () => {
    // the entry loads every exchange; it is read here only to check the list the client derives
    const entry = createRequire(import.meta.url)("ccxt") as { exchanges: string[] };
    expect(await ccxtExchangeIds()).toEqual([...entry.exchanges].sort());
    expect(await ccxtExchangeIds()).toContain("binance");
  });

  it("refuses an id ccxt does not know, a path included, before importing anything", async () => {
    for (const id of ["nope", "../base/Exchange", "base/errors", "binance.js"])
      await expect(createExchange({ id })).rejects.toBeInstanceOf(UnknownExchangeError);
  });

  it("throws errors of the classes loadCcxtErrors gives (one copy of ccxt's base)", async () => {
    const { NetworkError, BadSymbol } = await loadCcxtErrors();
    const exchange = await createExchange({ id: "binance", apiUrl: "http://127.0.0.1:9" });
    exchange.markets = {} as typeof exchange.markets;
    const noMarket = await exchange.fetchTicker("NOPE/USDT").catch((e: unknown) => e);
    expect(noMarket).toBeInstanceOf(BadSymbol);
    const closedPort = await exchange.fetchTime().catch((e: unknown) => e);
    expect(closedPort).toBeInstanceOf(NetworkError);
  });
});
