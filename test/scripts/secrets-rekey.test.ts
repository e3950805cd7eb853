// npm run secrets:rekey as an operator runs it (a child process), on SQLite and PostgreSQL:
// every record moves to the new master key in one transaction and still opens; a record that
// does not open with the current key stops it with nothing changed, naming the account only.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NoLiveProbe } from "../../src/brokers/credential-probe.ts";
import { CredentialsUnreadableError } from "../../src/domain/credentials/credential-errors.ts";
import { CredentialService } from "../../src/domain/credentials/credential-service.ts";
import { createServices } from "../../src/domain/services.ts";
import type { Actor } from "../../src/domain/users/actor.ts";
import { PROJECT_ROOT } from "../../src/db/migrate.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { MasterKey } from "../../src/lib/secrets/index.ts";
import { OfflineMarketData } from "../../src/market/offline/offline-market-data.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../support/db.ts";
import { SettablePrices, approvedUser } from "../support/fixtures.ts";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function rekey(args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn("npx", ["tsx", "scripts/secrets-rekey.ts", ...args], {
    cwd: PROJECT_ROOT,
    // only what the operator would set, so nothing from this process leaks in
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const b64 = (raw: Buffer) => raw.toString("base64");

describe.each(PROVIDERS)("secrets:rekey on %s", (provider) => {
  let tdb: TestDatabase;
  let alice: Actor;
  const rawA = randomBytes(32);
  const rawB = randomBytes(32);
  const rawC = randomBytes(32);
  const keyA = MasterKey.fromBytes(rawA);
  const keyB = MasterKey.fromBytes(rawB);
  const keyC = MasterKey.fromBytes(rawC);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "td-rekey-"));
  const stored = new Map<number, { apiKey: string; secret: string }>();

  const serviceWith = (key: MasterKey) =>
    new CredentialService(
      {
        db: tdb.db.prisma,
        provider: tdb.db.provider,
        clock: new ManualClock("2026-03-10T12:00:00Z"),
      },
      { masterKey: key, probe: new NoLiveProbe() },
    );
  const snapshot = () => tdb.db.prisma.accountCredential.findMany({ orderBy: { id: "asc" } });

  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    const clock = new ManualClock("2026-03-10T12:00:00Z");
    const services = createServices(tdb.db, {
      prices: new SettablePrices(),
      clock,
      market: new OfflineMarketData({ clock }),
      users: { adminTelegramIds: ["1"], maxUsers: 100, supportedLanguages: ["en"] },
      masterKey: keyA,
    });
    alice = await approvedUser({ services, prices: new SettablePrices(), clock }, "Alice");
    for (const name of ["One", "Two", "Three"]) {
      const account = await services.portfolios.createAccount(alice, {
        brokerCode: "BINANCE",
        name,
        baseCurrency: "USDT",
      });
      const creds = {
        apiKey: `K${randomBytes(20).toString("hex")}`,
        secret: `S${randomBytes(20).toString("hex")}`,
      };
      await services.credentials.store(alice, account.id, creds);
      stored.set(account.id, creds);
    }
  });
  afterAll(async () => {
    await tdb.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refuses bad usage without touching anything", async () => {
    const before = await snapshot();
    const none = await rekey([], { DATABASE_URL: tdb.url, SECRETS_MASTER_KEY: b64(rawA) });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no new key given[\s\S]*openssl rand -base64 32/);
    const same = await rekey([], {
      DATABASE_URL: tdb.url,
      SECRETS_MASTER_KEY: b64(rawA),
      SECRETS_NEW_MASTER_KEY: b64(rawA),
    });
    expect(same.code).toBe(2);
    expect(same.stderr).toContain(`the new key is the current key (${keyA.id})`);
    const short = await rekey([], {
      DATABASE_URL: tdb.url,
      SECRETS_MASTER_KEY: b64(rawA),
      SECRETS_NEW_MASTER_KEY: "tooshort",
    });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/SECRETS_NEW_MASTER_KEY must be 32 random bytes/);
    const noCurrent = await rekey([], { DATABASE_URL: tdb.url, SECRETS_NEW_MASTER_KEY: b64(rawB) });
    expect(noCurrent.code).toBe(2);
    expect(noCurrent.stderr).toMatch(/no current master key/);
    expect(await snapshot()).toEqual(before);
  });

  it("moves every record to the new key (from the environment) and each still opens", async () => {
    const run = await rekey([], {
      DATABASE_URL: tdb.url,
      SECRETS_MASTER_KEY: b64(rawA),
      SECRETS_NEW_MASTER_KEY: b64(rawB),
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `re-encrypted 3 of 3 credential record(s) from master key ${keyA.id} to ${keyB.id}`,
    );
    const rows = await snapshot();
    expect(rows.map((r) => r.keyId)).toEqual([keyB.id, keyB.id, keyB.id]);
    expect(rows.every((r) => r.rekeyedAt instanceof Date)).toBe(true);
    for (const [accountId, creds] of stored) {
      expect(await serviceWith(keyB).load(accountId)).toEqual(creds);
      await expect(serviceWith(keyA).load(accountId)).rejects.toBeInstanceOf(
        CredentialsUnreadableError,
      );
    }
    const audit = await tdb.db.prisma.auditLog.findFirstOrThrow({
      where: { entityType: "CREDENTIALS", action: "REKEY" },
    });
    expect(audit.details).toMatchObject({ fromKeyId: keyA.id, toKeyId: keyB.id, rekeyed: 3 });
    for (const creds of stored.values()) {
      expect(run.stdout + run.stderr).not.toContain(creds.secret);
      expect(JSON.stringify(audit)).not.toContain(creds.secret);
    }
  });

  it("refuses, naming the account and changing nothing, when a record does not open", async () => {
    // one record altered: the whole run must stop before any record moves to key C
    const [first, second] = await snapshot();
    const flipped = Buffer.from(second!.ciphertext, "base64");
    flipped[0]! ^= 0xff;
    await tdb.db.prisma.accountCredential.update({
      where: { id: second!.id },
      data: { ciphertext: flipped.toString("base64") },
    });
    const before = await snapshot();
    const file = path.join(dir, "new.key");
    fs.writeFileSync(file, b64(rawC), { mode: 0o600 });
    const run = await rekey(["--new-key-file", file], {
      DATABASE_URL: tdb.url,
      SECRETS_MASTER_KEY: b64(rawB),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `refused: the credentials of account ${second!.accountId} do not decrypt with the current master key ${keyB.id}`,
    );
    expect(run.stderr).toContain("Nothing was changed.");
    expect(await snapshot()).toEqual(before);
    expect(await serviceWith(keyB).load(first!.accountId)).toEqual(stored.get(first!.accountId));

    // with the record restored, the key file works
    await tdb.db.prisma.accountCredential.update({
      where: { id: second!.id },
      data: { ciphertext: second!.ciphertext },
    });
    const ok = await rekey(["--new-key-file", file], {
      DATABASE_URL: tdb.url,
      SECRETS_MASTER_KEY: b64(rawB),
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(
      `re-encrypted 3 of 3 credential record(s) from master key ${keyB.id} to ${keyC.id}`,
    );
    for (const [accountId, creds] of stored)
      expect(await serviceWith(keyC).load(accountId)).toEqual(creds);
  });
});
