// The key check before the secret store keeps a live key: one read-only call against the
// exchange (here the twin through the real ccxt client), testnet keys against the sandbox URL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CcxtCredentialProbe } from "../../../src/brokers/ccxt/credential-probe.ts";
import { ExchangeTwin } from "../../support/exchange-twin/index.ts";

const KEY = "k".repeat(64);
const SECRET = "s".repeat(64);

describe("CcxtCredentialProbe", () => {
  let twin: ExchangeTwin;
  let dead: ExchangeTwin;
  let probe: CcxtCredentialProbe;

  beforeAll(async () => {
    twin = await ExchangeTwin.start();
    twin.registerKey({ apiKey: KEY, secret: SECRET });
    twin.registerKey({ apiKey: "w".repeat(64), secret: SECRET, canWithdraw: true });
    // an address nothing listens on: the "live" host while testnet keys go to the twin
    dead = await ExchangeTwin.start();
    await dead.down();
    probe = new CcxtCredentialProbe({
      exchanges: ["binance"],
      apiUrl: () => twin.url,
      sandboxUrl: () => twin.url,
      rateLimitMs: 1,
    });
  });
  afterAll(async () => {
    await twin.stop();
    await dead.stop();
  });

  it("accepts a working key and says whether it may withdraw", async () => {
    expect(probe.supports("BINANCE")).toBe(true);
    expect(probe.supports("IBKR")).toBe(false);
    const options = { testnet: false };
    expect(await probe.probe("BINANCE", { apiKey: KEY, secret: SECRET }, options)).toEqual({
      ok: true,
      canWithdraw: false,
    });
    expect(
      await probe.probe("BINANCE", { apiKey: "w".repeat(64), secret: SECRET }, options),
    ).toEqual({ ok: true, canWithdraw: true });
  });

  it("names an unknown key, a bad secret, an unreachable exchange and an unconfigured broker", async () => {
    const options = { testnet: false };
    expect(
      await probe.probe("BINANCE", { apiKey: "u".repeat(64), secret: SECRET }, options),
    ).toEqual({ ok: false, reason: "invalid-key" });
    expect(await probe.probe("BINANCE", { apiKey: KEY, secret: "x".repeat(64) }, options)).toEqual({
      ok: false,
      reason: "invalid-key",
    });
    expect(await probe.probe("IBKR", { apiKey: KEY, secret: SECRET }, options)).toEqual({
      ok: false,
      reason: "not-configured",
    });
    const offline = new CcxtCredentialProbe({
      exchanges: ["binance"],
      apiUrl: () => dead.url,
      sandboxUrl: () => twin.url,
      rateLimitMs: 1,
      timeoutMs: 2_000,
    });
    expect(await offline.probe("BINANCE", { apiKey: KEY, secret: SECRET }, options)).toEqual({
      ok: false,
      reason: "unreachable",
    });
    // a testnet key goes to the sandbox URL (ccxt setSandboxMode, its host replaced by config)
    expect(
      await offline.probe("BINANCE", { apiKey: KEY, secret: SECRET }, { testnet: true }),
    ).toEqual({ ok: true, canWithdraw: false });
  });
});
