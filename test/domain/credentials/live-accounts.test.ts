// Opening a live account (LiveAccountService) on real SQLite and PostgreSQL: the key is checked
// before anything is written, the account and its sealed key are stored together, every refusal
// (no master key, the exchange's verdict, a name in use, a paper broker) writes nothing, the
// testnet flag is kept and reaches the gateway factory, and paper accounts cannot be testnet.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayAccount } from "../../../src/brokers/gateway-registry.ts";
import type {
  BrokerGateway,
  CredentialProbe,
  CredentialProbeResult,
  ExchangeCredentials,
} from "../../../src/brokers/types.ts";
import {
  CredentialsRejectedError,
  SecretsNotConfiguredError,
} from "../../../src/domain/credentials/credential-errors.ts";
import { ConflictError, ValidationError } from "../../../src/domain/errors.ts";
import { createServices, type Services } from "../../../src/domain/services.ts";
import type { Actor } from "../../../src/domain/users/actor.ts";
import { ManualClock } from "../../../src/lib/clock.ts";
import { MasterKey } from "../../../src/lib/secrets/index.ts";
import { OfflineMarketData } from "../../../src/market/offline/offline-market-data.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { SettablePrices, approvedUser } from "../../support/fixtures.ts";

class ScriptedProbe implements CredentialProbe {
  next: CredentialProbeResult = { ok: true, canWithdraw: false };
  calls: Array<{ testnet: boolean }> = [];
  supports(brokerCode: string): boolean {
    return brokerCode === "BINANCE";
  }
  async probe(
    _broker: string,
    _creds: ExchangeCredentials,
    options: { testnet: boolean },
  ): Promise<CredentialProbeResult> {
    this.calls.push({ testnet: options.testnet });
    return this.next;
  }
}

const pair = (): ExchangeCredentials => ({
  apiKey: `K${randomBytes(24).toString("hex")}`,
  secret: `S${randomBytes(24).toString("hex")}`,
});

describe.each(PROVIDERS)("LiveAccountService on %s", (provider) => {
  let tdb: TestDatabase;
  let services: Services;
  let bare: Services;
  let alice: Actor;
  const probe = new ScriptedProbe();
  const built: GatewayAccount[] = [];

  const servicesWith = (masterKey: MasterKey | null) =>
    createServices(tdb.db, {
      prices: new SettablePrices(),
      clock: new ManualClock("2026-03-10T12:00:00Z"),
      market: new OfflineMarketData({}),
      users: { adminTelegramIds: ["1"], maxUsers: 100, supportedLanguages: ["en", "ru"] },
      masterKey,
      credentialProbe: probe,
      liveGateways: {
        // records what the registry hands a live factory; never asked to trade here
        BINANCE: (account) => {
          built.push(account);
          return {} as BrokerGateway;
        },
      },
    });

  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    services = servicesWith(MasterKey.fromBytes(randomBytes(32)));
    bare = servicesWith(null);
    alice = await approvedUser(
      { services, prices: new SettablePrices(), clock: new ManualClock("2026-03-10T12:00:00Z") },
      "Alice",
    );
  });
  afterAll(() => tdb.drop());

  const counts = async () => [
    await tdb.db.prisma.account.count(),
    await tdb.db.prisma.accountCredential.count(),
  ];

  it("stores a checked testnet account with its key, and the gateway gets testnet", async () => {
    const creds = pair();
    const account = await services.liveAccounts.open(
      alice,
      { brokerCode: "BINANCE", name: "Bin test", baseCurrency: "USDT", testnet: true },
      creds,
    );
    expect(account).toMatchObject({ testnet: true, isPaper: false, hasSecret: true });
    expect(probe.calls.at(-1)).toEqual({ testnet: true });
    expect(await services.credentials.load(account.id)).toEqual(creds);
    expect(
      (await services.portfolios.listAccounts(alice)).find((a) => a.id === account.id),
    ).toMatchObject({ testnet: true });
    await services.gateways.forAccount(account.id);
    expect(built.at(-1)).toMatchObject({ id: account.id, testnet: true, isPaper: false });
  });

  it("writes nothing when the exchange refuses the key or it may withdraw", async () => {
    const before = await counts();
    probe.next = { ok: false, reason: "invalid-key" };
    await expect(
      services.liveAccounts.open(
        alice,
        { brokerCode: "BINANCE", name: "Refused", baseCurrency: "USDT", testnet: false },
        pair(),
      ),
    ).rejects.toMatchObject({ reason: "invalid-key" });
    probe.next = { ok: true, canWithdraw: true };
    await expect(
      services.liveAccounts.open(
        alice,
        { brokerCode: "BINANCE", name: "Refused", baseCurrency: "USDT", testnet: false },
        pair(),
      ),
    ).rejects.toBeInstanceOf(CredentialsRejectedError);
    probe.next = { ok: true, canWithdraw: false };
    expect(await counts()).toEqual(before);
  });

  it("refuses without a master key, a taken name or a paper broker, before asking the exchange", async () => {
    const before = await counts();
    const asked = probe.calls.length;
    const input = { brokerCode: "BINANCE", name: "Other", baseCurrency: "USDT", testnet: false };
    await expect(bare.liveAccounts.open(alice, input, pair())).rejects.toBeInstanceOf(
      SecretsNotConfiguredError,
    );
    await expect(
      services.liveAccounts.open(alice, { ...input, name: "bin TEST" }, pair()),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      services.liveAccounts.open(alice, { ...input, brokerCode: "PAPER" }, pair()),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(probe.calls.length).toBe(asked);
    expect(await counts()).toEqual(before);
  });

  it("refuses a paper account on a testnet", async () => {
    await expect(
      services.portfolios.createAccount(alice, {
        brokerCode: "PAPER",
        name: "Paper test",
        testnet: true,
      }),
    ).rejects.toMatchObject({ key: "error-paper-no-testnet" });
  });
});
