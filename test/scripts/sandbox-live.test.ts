// `npm run sandbox -- --live`: the exchange twin the sandbox starts, the configuration it hands
// the bot, the key pair it prints (checked by the real ccxt client, as /newaccount checks it),
// and the :price / :balance commands reaching the twin — a resting order fills when :price
// crosses it, a balance set by :balance is what the exchange reports. Then the whole sandbox as a
// child process with --live: the banner, the commands, bad input answered without ending the
// session, and the bot quoting the price :price set.
import { spawn } from "node:child_process";
import path from "node:path";
import type { Exchange } from "ccxt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createExchange } from "../../src/market/ccxt/client.ts";
import { parseLine } from "../../scripts/sandbox-input.ts";
import {
  ExchangeCommandError,
  SANDBOX_ACCOUNT,
  type SandboxExchange,
  liveBanner,
  runExchangeCommand,
  startSandboxExchange,
} from "../../scripts/sandbox-live.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("the live sandbox commands as typed", () => {
  it("parses :price and :balance, and refuses what the exchange could not take", () => {
    expect(parseLine(":price BTCUSDT 65000", 0)).toEqual({
      kind: "price",
      symbol: "BTCUSDT",
      price: "65000",
    });
    expect(parseLine(":price btc/usdt 0,5", 0)).toEqual({
      kind: "price",
      symbol: "BTCUSDT",
      price: "0.5",
    });
    expect(parseLine(":price ethusdt", 0)).toEqual({ kind: "price", symbol: "ETHUSDT" });
    expect(parseLine(":balance usdt 5000.25", 0)).toEqual({
      kind: "balance",
      asset: "USDT",
      amount: "5000.25",
    });
    expect(parseLine(":balance BTC 0", 0)).toEqual({ kind: "balance", asset: "BTC", amount: "0" });
    expect(parseLine(":balance", 0)).toEqual({ kind: "balance" });
    for (const bad of [
      ":price",
      ":price BTCUSDT 0",
      ":price BTCUSDT 0.000",
      ":price BTCUSDT -5",
      ":price BTCUSDT 1e5",
      ":price BTCUSDT 65000 now",
      ":price ₿ 5",
      ":balance USDT",
      ":balance USDT -1",
      ":balance USDT lots",
      ":balance USDT 1 2",
    ]) {
      const action = parseLine(bad, 0);
      expect(action.kind, bad).toBe("invalid");
      expect(action.kind === "invalid" && action.reason, bad).toMatch(/usage|must be|not a/);
    }
  });
});

describe("the exchange the live sandbox starts", () => {
  let exchange: SandboxExchange;
  let client: Exchange;

  beforeAll(async () => {
    exchange = await startSandboxExchange();
    client = await createExchange({
      id: "binance",
      apiKey: exchange.apiKey,
      secret: exchange.secret,
      apiUrl: exchange.twin.url,
      // the twin is local: ccxt's limiter would only slow the test
      rateLimitMs: 1,
    });
  });
  afterAll(() => exchange?.stop());

  it("hands the bot a valid live configuration that points at the twin", () => {
    const config = loadConfig({
      BOT_TOKEN: "123456:ABCDEFGHIJKLMNOP",
      ADMIN_TELEGRAM_IDS: "1000",
      // a key file from the environment must not clash with the generated key
      SECRETS_KEY_FILE: "/somewhere/master.key",
      ...exchange.env,
    });
    expect(config.MARKET_DATA).toBe("binance");
    expect(config.LIVE_TRADING).toEqual(["binance"]);
    expect(config.EXCHANGE_API_URL).toBe(exchange.twin.url);
    expect(config.EXCHANGE_SANDBOX_URL).toBe(exchange.twin.url);
    expect(config.SECRETS_KEY_FILE).toBeUndefined();
    expect(Buffer.from(config.SECRETS_MASTER_KEY!, "base64")).toHaveLength(32);
    // the banner names the key pair, and never the master key in full
    const banner = liveBanner(exchange);
    expect(banner).toContain(exchange.apiKey);
    expect(banner).toContain(exchange.secret);
    expect(banner).toContain(exchange.twin.url);
    expect(banner).not.toContain(config.SECRETS_MASTER_KEY!);
    expect(banner).toContain(exchange.masterKeyHint);
    expect(exchange.masterKeyHint.replace("…", "").length).toBeLessThan(8);
  });

  it("accepts the printed key pair, with the starting funds", async () => {
    const balance = await client.fetchBalance();
    const info = balance.info as { balances: Array<{ asset: string; free: string }> };
    const free = Object.fromEntries(info.balances.map((b) => [b.asset, b.free]));
    expect(free).toMatchObject({ USDT: "10000.00000000", BTC: "0.05000000" });
  });

  it(":price moves the exchange's price and fills a resting order it crosses", async () => {
    const say = (line: string) => {
      const action = parseLine(line, 0);
      if (action.kind !== "price" && action.kind !== "balance") throw new Error(line);
      return runExchangeCommand(exchange.twin, action);
    };
    expect(say(":price BTCUSDT 60000")).toBe(
      "BTCUSDT now 60000 on the exchange (bid 59999.99, ask 60000.01)",
    );
    const ticker = await client.fetchTicker("BTC/USDT");
    expect((ticker.info as { lastPrice: string }).lastPrice).toBe("60000.00000000");

    const order = await client.createOrder("BTC/USDT", "limit", "buy", 0.001, 59000, {
      clientOrderId: "sandbox-test-1",
    });
    expect(order.status).toBe("open");
    expect(say(":price BTCUSDT 59500")).not.toMatch(/fill/);
    expect(say(":price BTCUSDT 58900")).toMatch(/^BTCUSDT now 58900 .*; 1 fill of resting orders$/);
    const after = await client.fetchOrder(String(order.id), "BTC/USDT");
    expect(after.status).toBe("closed");
    expect(exchange.twin.trades(SANDBOX_ACCOUNT)).toHaveLength(1);
    expect(say(":price BTCUSDT")).toBe("BTCUSDT last 58900, bid 58899.99, ask 58900.01");

    // what the twin cannot take is refused with a message, and nothing moves
    expect(() => say(":price BTCUSDT 58900.005")).toThrow(
      new ExchangeCommandError(
        "BTCUSDT's price moves in steps of 0.01: 58900.005 is not on that grid",
      ),
    );
    expect(() => say(":price ETHUSD 3000")).toThrow(/does not list ETHUSD \(did you mean ETHUSDT/);
    expect(exchange.twin.price("BTCUSDT").last).toBe("58900");
  });

  it(":balance sets what the exchange reports, and lists the account", async () => {
    const run = (line: string) => {
      const action = parseLine(line, 0);
      if (action.kind !== "balance") throw new Error(line);
      return runExchangeCommand(exchange.twin, action);
    };
    expect(run(":balance ETH 2.5")).toBe("ETH on the exchange: 2.5 free, 0 locked");
    expect(run(":balance USDT 1234.5")).toBe("USDT on the exchange: 1234.5 free, 0 locked");
    const balance = await client.fetchBalance();
    const info = balance.info as { balances: Array<{ asset: string; free: string }> };
    const free = Object.fromEntries(info.balances.map((b) => [b.asset, b.free]));
    expect(free).toMatchObject({ ETH: "2.50000000", USDT: "1234.50000000" });
    expect(run(":balance")).toMatch(/^exchange balances: .*ETH 2\.5 free, 0 locked/);
  });
});

it("npm run sandbox -- --live: the banner, :price reaching the bot, bad input survived", async () => {
  const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/sandbox.ts", "--live"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      RATE_LIMIT_PER_WINDOW: "1000",
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer) => {
    output += d.toString();
    for (const w of waiters.splice(0)) w();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const waitFor = async (pattern: RegExp, from = 0, timeoutMs = 90_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = output.slice(from).match(pattern);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no ${pattern} in sandbox output:\n${output}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 250);
      });
    }
  };
  const type = async (line: string, pattern: RegExp) => {
    const from = output.length;
    child.stdin.write(`${line}\n`);
    return waitFor(pattern, from);
  };
  try {
    await waitFor(
      /Live mode: a local exchange twin stands in for Binance at http:\/\/127\.0\.0\.1/,
    );
    const apiKey = (await waitFor(/API key: +([0-9a-f]{64})\n/))[1]!;
    const secret = (await waitFor(/API secret: +([0-9a-f]{64})\n/))[1]!;
    expect(apiKey).not.toBe(secret);
    await waitFor(/SECRETS_MASTER_KEY \S{4}… made for this run/);
    await waitFor(/:help lists the rest/);

    await type(":help", /:price SYMBOL VALUE[\s\S]*:balance ASSET AMOUNT[\s\S]*:quit/);
    await type(":price BTCUSDT 61234.5", /BTCUSDT now 61234\.5 on the exchange/);
    await type(":price NOPEUSDT 1", /the exchange does not list NOPEUSDT/);
    await type(":price BTCUSDT zero", /the price must be a positive number, not “zero”/);
    await type(":balance USDT 2500", /USDT on the exchange: 2500 free, 0 locked/);
    await type(":balance", /exchange balances: USDT 2500 free, 0 locked; BTC 0\.05 free/);
    await type(":press 1", /no message with buttons in your private chat yet/);

    // the bot's prices are the exchange's: /price shows what :price set
    await type("/start", /You are an admin/);
    await type("/price BTCUSDT", /BTCUSDT 61,234\.5\d* USDT/);

    child.stdin.write(":quit\n");
    expect(await exited).toBe(0);
  } finally {
    child.kill("SIGKILL");
  }
}, 300_000);
