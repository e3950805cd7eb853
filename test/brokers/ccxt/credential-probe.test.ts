// The live credential probe against the exchange twin (Binance's wire protocol on 127.0.0.1),
// through the real ccxt client: a good key, a key that may withdraw, an unknown key, an exchange
// that is down or in maintenance, and a testnet key (no /sapi there, so no restrictions call).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CcxtCredentialProbe } from "../../../src/brokers/ccxt/credential-probe.ts";
import { ExchangeTwin } from "../../support/exchange-twin/index.ts";

const pair = () => ({
  apiKey: randomBytes(32).toString("hex"),
  secret: randomBytes(32).toString("hex"),
});
const RESTRICTIONS = "/sapi/v1/account/apiRestrictions";

describe("CcxtCredentialProbe against the exchange twin", () => {
  let twin: ExchangeTwin;
  let probe: CcxtCredentialProbe;
  const good = pair();
  const withdrawing = pair();

  beforeAll(async () => {
    twin = await ExchangeTwin.start();
    twin.registerKey(good);
    twin.registerKey({ ...withdrawing, account: "other", canWithdraw: true });
    twin.addBalance("main", "USDT", "1000");
    probe = new CcxtCredentialProbe({
      exchanges: ["binance"],
      apiUrl: () => twin.url,
      sandboxUrl: () => twin.url,
      rateLimitMs: 1,
      timeoutMs: 3_000,
    });
  });
  afterAll(async () => twin.stop());

  it("supports only the exchanges live trading enables", async () => {
    expect(probe.supports("BINANCE")).toBe(true);
    expect(probe.supports("KRAKEN")).toBe(false);
    expect(await probe.probe("KRAKEN", good, { testnet: false })).toEqual({
      ok: false,
      reason: "not-configured",
    });
  });

  it("accepts a working read/trade key and asks the restrictions endpoint", async () => {
    twin.resetCounters();
    expect(await probe.probe("BINANCE", good, { testnet: false })).toEqual({
      ok: true,
      canWithdraw: false,
    });
    expect(twin.requestCount("/api/v3/account", "GET")).toBe(1);
    expect(twin.requestCount(RESTRICTIONS, "GET")).toBe(1);
    // read-only: nothing was placed or canceled
    expect(twin.requests.filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("reports a key that may withdraw", async () => {
    expect(await probe.probe("BINANCE", withdrawing, { testnet: false })).toEqual({
      ok: true,
      canWithdraw: true,
    });
  });

  it("calls an unknown key or a wrong secret invalid", async () => {
    expect(await probe.probe("BINANCE", pair(), { testnet: false })).toEqual({
      ok: false,
      reason: "invalid-key",
    });
    expect(
      await probe.probe(
        "BINANCE",
        { apiKey: good.apiKey, secret: "x".repeat(64) },
        {
          testnet: false,
        },
      ),
    ).toEqual({ ok: false, reason: "invalid-key" });
  });

  it("says unreachable when the exchange is in maintenance or down", async () => {
    await twin.down("maintenance");
    expect(await probe.probe("BINANCE", good, { testnet: false })).toEqual({
      ok: false,
      reason: "unreachable",
    });
    await twin.up();
    await twin.down("refuse");
    expect(await probe.probe("BINANCE", good, { testnet: false })).toEqual({
      ok: false,
      reason: "unreachable",
    });
    await twin.up();
  });

  it("checks a testnet key by its balance alone (the testnet has no /sapi)", async () => {
    twin.resetCounters();
    expect(await probe.probe("BINANCE", good, { testnet: true })).toEqual({
      ok: true,
      canWithdraw: false,
    });
    expect(twin.requestCount("/api/v3/account", "GET")).toBe(1);
    expect(twin.requestCount(RESTRICTIONS)).toBe(0);
  });
});
