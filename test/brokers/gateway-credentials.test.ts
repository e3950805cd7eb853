// A live adapter gets its account's API key only through the loader the registry hands its
// factory: the secret store's decrypted credentials for exactly that account, read when called.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CredentialLoader, GatewayAccount } from "../../src/brokers/gateway-registry.ts";
import { PaperBroker } from "../../src/brokers/paper/paper-broker.ts";
import type { BrokerGateway } from "../../src/brokers/types.ts";
import {
  CredentialsMissingError,
  SecretsNotConfiguredError,
} from "../../src/domain/credentials/credential-errors.ts";
import { createServices, type Services } from "../../src/domain/services.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { MasterKey } from "../../src/lib/secrets/index.ts";
import { OfflineMarketData } from "../../src/market/offline/offline-market-data.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../support/db.ts";
import { SettablePrices, approvedUser } from "../support/fixtures.ts";

describe.each(PROVIDERS)("live gateways and the secret store, on %s", (provider) => {
  let tdb: TestDatabase;
  const built: Array<{ account: GatewayAccount; load: CredentialLoader }> = [];
  const servicesWith = (masterKey: MasterKey | null): Services => {
    const clock = new ManualClock("2026-03-10T12:00:00Z");
    return createServices(tdb.db, {
      prices: new SettablePrices(),
      clock,
      market: new OfflineMarketData({ clock }),
      users: { adminTelegramIds: ["1"], maxUsers: 100, supportedLanguages: ["en"] },
      masterKey,
      liveGateways: {
        // a stand-in adapter: records what the registry gave it (a paper venue answers calls)
        BINANCE: (account, load): BrokerGateway => {
          built.push({ account, load });
          return new PaperBroker({
            db: tdb.db.prisma,
            provider: tdb.db.provider,
            clock,
            market: new OfflineMarketData({ clock }),
            accountId: account.id,
          });
        },
      },
    });
  };
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
  });
  afterAll(() => tdb.drop());

  it("hands each live factory a loader for its own account's decrypted key", async () => {
    const key = MasterKey.fromBytes(randomBytes(32));
    const services = servicesWith(key);
    const clock = new ManualClock("2026-03-10T12:00:00Z");
    const alice = await approvedUser({ services, prices: new SettablePrices(), clock }, "Alice");
    const [one, two] = await Promise.all(
      ["One", "Two"].map((name) =>
        services.portfolios.createAccount(alice, {
          brokerCode: "BINANCE",
          name,
          baseCurrency: "USDT",
        }),
      ),
    );
    const creds = {
      apiKey: `K${randomBytes(16).toString("hex")}`,
      secret: `S${randomBytes(16).toString("hex")}`,
    };
    await services.credentials.store(alice, one!.id, creds);

    await services.gateways.forAccount(one!.id);
    await services.gateways.forAccount(two!.id);
    expect(built.map((b) => b.account.id)).toEqual([one!.id, two!.id]);
    expect(await built[0]!.load()).toEqual(creds);
    await expect(built[1]!.load()).rejects.toBeInstanceOf(CredentialsMissingError);

    // an installation without the master key builds the adapter, but the key does not load
    const keyless = servicesWith(null);
    await keyless.gateways.forAccount(one!.id);
    await expect(built.at(-1)!.load()).rejects.toBeInstanceOf(SecretsNotConfiguredError);
  });
});
