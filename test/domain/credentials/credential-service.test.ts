// The secret store on real SQLite and PostgreSQL databases: credentials sealed under the master
// key and bound to their account, ownership and live-only rules, the probe's verdicts (nothing
// written on a refusal), typed errors without a master key, audit rows without secret material,
// and a scan of the whole database (SQLite file and WAL; every PostgreSQL row) finding no secret.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  CredentialProbe,
  CredentialProbeResult,
  ExchangeCredentials,
} from "../../../src/brokers/types.ts";
import {
  CredentialsMissingError,
  CredentialsRejectedError,
  CredentialsUnreadableError,
  SecretsNotConfiguredError,
} from "../../../src/domain/credentials/credential-errors.ts";
import { NotFoundError, ValidationError } from "../../../src/domain/errors.ts";
import { createServices, type Services } from "../../../src/domain/services.ts";
import type { Actor } from "../../../src/domain/users/actor.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { ManualClock } from "../../../src/lib/clock.ts";
import { MasterKey } from "../../../src/lib/secrets/index.ts";
import { OfflineMarketData } from "../../../src/market/offline/offline-market-data.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { SettablePrices, approvedUser } from "../../support/fixtures.ts";
import { findInDatabase } from "../../support/secret-scan.ts";

/** A probe answering what the test tells it to, and remembering what it was asked. */
class ScriptedProbe implements CredentialProbe {
  next: CredentialProbeResult = { ok: true, canWithdraw: false };
  calls: Array<{ broker: string; apiKey: string; testnet: boolean }> = [];
  supports(brokerCode: string): boolean {
    return brokerCode === "BINANCE";
  }
  async probe(
    brokerCode: string,
    creds: ExchangeCredentials,
    options: { testnet: boolean },
  ): Promise<CredentialProbeResult> {
    this.calls.push({ broker: brokerCode, apiKey: creds.apiKey, testnet: options.testnet });
    return this.next;
  }
}

const secretPair = (): ExchangeCredentials => ({
  apiKey: `K${randomBytes(24).toString("hex")}`,
  secret: `S${randomBytes(24).toString("hex")}`,
});

describe.each(PROVIDERS)("CredentialService on %s", (provider) => {
  let tdb: TestDatabase;
  let services: Services;
  let probe: ScriptedProbe;
  const key = MasterKey.fromBytes(randomBytes(32));
  let alice: Actor;
  let bob: Actor;
  let live: number;
  let paper: number;
  const typed: string[] = [];

  const servicesWith = (masterKey: MasterKey | null) =>
    createServices(tdb.db, {
      prices: new SettablePrices(),
      clock: new ManualClock("2026-03-10T12:00:00Z"),
      market: new OfflineMarketData({}),
      users: { adminTelegramIds: ["1"], maxUsers: 100, supportedLanguages: ["en", "ru"] },
      masterKey,
      credentialProbe: probe,
    });

  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    probe = new ScriptedProbe();
    services = servicesWith(key);
    const world = {
      services,
      prices: new SettablePrices(),
      clock: new ManualClock("2026-03-10T12:00:00Z"),
    };
    alice = await approvedUser(world, "Alice");
    bob = await approvedUser(world, "Bob");
    live = (
      await services.portfolios.createAccount(alice, {
        brokerCode: "BINANCE",
        name: "Binance main",
        baseCurrency: "USDT",
      })
    ).id;
    paper = (
      await services.portfolios.createAccount(alice, {
        brokerCode: "PAPER",
        name: "Sandbox",
        openingBalance: new Decimal(1000),
      })
    ).id;
  });
  afterAll(() => tdb.drop());

  it("stores sealed credentials that only load() opens, and audits without secrets", async () => {
    const creds = { ...secretPair(), password: `P${randomBytes(8).toString("hex")}` };
    typed.push(creds.apiKey, creds.secret, creds.password);
    expect((await services.portfolios.getAccount(alice, live)).hasSecret).toBe(false);
    const info = await services.credentials.store(alice, live, creds);
    expect((await services.portfolios.getAccount(alice, live)).hasSecret).toBe(true);
    expect(info).toMatchObject({ accountId: live, keyId: key.id, rotatedAt: null });
    expect(await services.credentials.load(live)).toEqual(creds);
    expect(await services.credentials.info(alice, live)).toMatchObject({ keyId: key.id });

    const row = await tdb.db.prisma.accountCredential.findUniqueOrThrow({
      where: { accountId: live },
    });
    expect(Object.keys(row).sort()).toEqual(
      [
        "accountId",
        "ciphertext",
        "createdAt",
        "id",
        "keyId",
        "nonce",
        "rekeyedAt",
        "rotatedAt",
        "tag",
      ].sort(),
    );
    expect(JSON.stringify(row)).not.toContain(creds.secret);
    const account = await tdb.db.prisma.account.findUniqueOrThrow({ where: { id: live } });
    expect(account.secretRef).toBeNull();

    const audits = await tdb.db.prisma.auditLog.findMany({ where: { entityType: "CREDENTIALS" } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: alice.id, entityId: live, action: "STORE" });
    expect(audits[0]!.details).toMatchObject({ event: "credentials stored", keyId: key.id });
  });

  it("rotates after the probe accepts the key; a refused key changes nothing", async () => {
    const before = await tdb.db.prisma.accountCredential.findUniqueOrThrow({
      where: { accountId: live },
    });
    const refusals: Array<[CredentialProbeResult, string]> = [
      [{ ok: false, reason: "invalid-key" }, "invalid-key"],
      [{ ok: false, reason: "unreachable" }, "unreachable"],
      [{ ok: false, reason: "permission-denied" }, "permission-denied"],
      [{ ok: true, canWithdraw: true }, "can-withdraw"],
    ];
    for (const [answer, reason] of refusals) {
      probe.next = answer;
      const creds = secretPair();
      typed.push(creds.apiKey, creds.secret);
      const err = await services.credentials.rotate(alice, live, creds).catch((e: unknown) => e);
      expect(err, reason).toBeInstanceOf(CredentialsRejectedError);
      expect((err as CredentialsRejectedError).reason).toBe(reason);
      expect(String(err)).not.toContain(creds.secret);
      expect(String(err)).not.toContain(creds.apiKey);
    }
    const after = await tdb.db.prisma.accountCredential.findUniqueOrThrow({
      where: { accountId: live },
    });
    expect(after).toEqual(before);

    probe.next = { ok: true, canWithdraw: false };
    const fresh = secretPair();
    typed.push(fresh.apiKey, fresh.secret);
    const info = await services.credentials.rotate(alice, live, fresh);
    expect(info.rotatedAt).toBeInstanceOf(Date);
    expect(probe.calls.at(-1)).toEqual({ broker: "BINANCE", apiKey: fresh.apiKey, testnet: false });
    expect(await services.credentials.load(live)).toEqual(fresh);
    const rotated = await tdb.db.prisma.auditLog.findMany({
      where: { entityType: "CREDENTIALS", action: "ROTATE" },
    });
    expect(rotated.map((r) => r.details)).toEqual([
      { event: "credentials rotated", accountId: live, keyId: key.id },
    ]);
  });

  it("answers someone else's, unknown and paper accounts without storing anything", async () => {
    const creds = secretPair();
    await expect(services.credentials.store(bob, live, creds)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(services.credentials.rotate(bob, live, creds)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(services.credentials.info(bob, live)).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.credentials.store(alice, 999_999, creds)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(services.credentials.store(alice, paper, creds)).rejects.toMatchObject({
      key: "error-paper-no-secret",
    });
    await expect(services.credentials.load(paper)).rejects.toBeInstanceOf(CredentialsMissingError);
    for (const bad of [
      { apiKey: "", secret: "x" },
      { apiKey: "has space", secret: "x" },
      { apiKey: "k", secret: "x".repeat(600) },
    ]) {
      await expect(services.credentials.store(alice, live, bad)).rejects.toBeInstanceOf(
        ValidationError,
      );
    }
    expect(await tdb.db.prisma.accountCredential.count()).toBe(1);
  });

  it("stores inside the caller's transaction, and nothing when it rolls back", async () => {
    const creds = secretPair();
    const other = await services.portfolios.createAccount(alice, {
      brokerCode: "BINANCE",
      name: "Binance second",
      baseCurrency: "USDT",
    });
    await expect(
      tdb.db.prisma.$transaction(async (tx) => {
        await services.credentials.store(alice, other.id, creds, { tx });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await tdb.db.prisma.accountCredential.count({ where: { accountId: other.id } })).toBe(0);
    await services.portfolios.deleteAccount(alice, other.id);
  });

  it("refuses a ciphertext copied onto another account, and a record under another key", async () => {
    const second = await services.portfolios.createAccount(alice, {
      brokerCode: "BINANCE",
      name: "Binance copy target",
      baseCurrency: "USDT",
    });
    const original = await tdb.db.prisma.accountCredential.findUniqueOrThrow({
      where: { accountId: live },
    });
    await tdb.db.prisma.accountCredential.create({
      data: {
        accountId: second.id,
        keyId: original.keyId,
        nonce: original.nonce,
        tag: original.tag,
        ciphertext: original.ciphertext,
      },
    });
    const copied = await services.credentials.load(second.id).catch((e: unknown) => e);
    expect(copied).toBeInstanceOf(CredentialsUnreadableError);
    expect((copied as CredentialsUnreadableError).reason).toBe("corrupt");
    await tdb.db.prisma.accountCredential.delete({ where: { accountId: second.id } });
    await services.portfolios.deleteAccount(alice, second.id);

    const otherKey = MasterKey.fromBytes(randomBytes(32));
    const elsewhere = servicesWith(otherKey);
    const err = await elsewhere.credentials.load(live).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialsUnreadableError);
    expect(err).toMatchObject({
      reason: "key-mismatch",
      accountId: live,
      storedKeyId: key.id,
      currentKeyId: otherKey.id,
    });
  });

  it("without a master key refuses to store or load, with a typed error saying how to set one", async () => {
    const keyless = servicesWith(null);
    expect(keyless.credentials.hasMasterKey()).toBe(false);
    expect(keyless.credentials.readiness("BINANCE")).toBe("no-master-key");
    expect(services.credentials.readiness("BINANCE")).toBe("ready");
    expect(services.credentials.readiness("IBKR")).toBe("no-probe");
    const creds = secretPair();
    for (const attempt of [
      keyless.credentials.store(alice, live, creds),
      keyless.credentials.rotate(alice, live, creds),
      keyless.credentials.load(live),
    ]) {
      const err = await attempt.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SecretsNotConfiguredError);
      expect((err as SecretsNotConfiguredError).key).toBe("error-secrets-no-master-key");
      expect(String(err)).toMatch(
        /SECRETS_MASTER_KEY or SECRETS_KEY_FILE.*openssl rand -base64 32/,
      );
    }
  });

  it("leaves no secret anywhere in the database (file and WAL, or every table)", async () => {
    expect(typed.length).toBeGreaterThan(8);
    expect(await findInDatabase(tdb, typed)).toEqual([]);
    // the scan does find what is there: an account name and a stored ciphertext
    const row = await tdb.db.prisma.accountCredential.findUniqueOrThrow({
      where: { accountId: live },
    });
    const found = await findInDatabase(tdb, ["Binance main", row.ciphertext]);
    expect(found.map((h) => h.needle)).toEqual(
      expect.arrayContaining(["Binance main", row.ciphertext]),
    );
  });
});
