// The secret store for live accounts' exchange API credentials (seed 004 §10: never plain in the
// database). Credentials are sealed with AES-256-GCM under the master key held outside the
// database and bound to their account's uid; the account_credentials row holds only ciphertext,
// nonce, tag and the key's fingerprint (sealing and opening: credential-box.ts). Plain credentials
// leave this service only through load(), which the broker layer's gateway factory calls. Audit
// rows say "credentials stored/rotated" and name the key id, never any secret material.
import type { DbOrTx, Tx } from "../../db/client.ts";
import type { CredentialProbe, ExchangeCredentials } from "../../brokers/types.ts";
import { type MasterKey, open, seal } from "../../lib/secrets/index.ts";
import { audit } from "../audit/audit-logger.ts";
import type { DomainContext } from "../context.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import { boundTo, cleanCredentials, openCredentials, sealCredentials } from "./credential-box.ts";
import {
  CredentialsMissingError,
  CredentialsRejectedError,
  SecretsNotConfiguredError,
} from "./credential-errors.ts";

interface CredentialServiceDeps {
  /** null when neither SECRETS_MASTER_KEY nor SECRETS_KEY_FILE is set */
  masterKey: MasterKey | null;
  /** checks a key pair against the exchange (the ccxt layer; NoLiveProbe without one) */
  probe: CredentialProbe;
}

/** What may be shown about stored credentials: never the credentials. */
interface CredentialInfo {
  accountId: number;
  keyId: string;
  createdAt: Date;
  rotatedAt: Date | null;
}

interface RekeySummary {
  /** records found */
  total: number;
  /** re-encrypted under the new key */
  rekeyed: number;
  /** already under the new key (left as they were) */
  unchanged: number;
  fromKeyId: string;
  toKeyId: string;
}

/** Can live keys be entered here for a broker. */
type CredentialReadiness = "ready" | "no-master-key" | "no-probe";

export class CredentialService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly deps: CredentialServiceDeps,
  ) {}

  hasMasterKey(): boolean {
    return this.deps.masterKey !== null;
  }

  /** The fingerprint of the configured master key (null without one). */
  keyId(): string | null {
    return this.deps.masterKey?.id ?? null;
  }

  /** Whether keys for this broker can be checked and stored here, and if not, why. */
  readiness(brokerCode: string): CredentialReadiness {
    if (!this.deps.masterKey) return "no-master-key";
    return this.deps.probe.supports(brokerCode) ? "ready" : "no-probe";
  }

  /**
   * Checks a key pair against the exchange with the probe. Throws CredentialsRejectedError for a
   * key the exchange refuses, that cannot be checked, or that may withdraw funds.
   */
  async verify(
    brokerCode: string,
    credentials: ExchangeCredentials,
    options: { testnet: boolean },
  ): Promise<void> {
    const creds = cleanCredentials(credentials);
    const result = await this.deps.probe.probe(brokerCode, creds, options);
    if (result.ok && !result.canWithdraw) return;
    // the refusal names the broker as people know it ("Binance", not "BINANCE")
    const broker = await this.ctx.db.broker.findUnique({ where: { code: brokerCode } });
    throw new CredentialsRejectedError(
      result.ok ? "can-withdraw" : result.reason,
      broker?.name ?? brokerCode,
    );
  }

  /**
   * Seals and stores the credentials of one of the actor's live accounts (replacing earlier ones:
   * that is a rotation). Does not probe: call verify() first, or use rotate(). Pass `tx` to store
   * inside the transaction that creates the account.
   */
  async store(
    actor: Actor,
    accountId: number,
    credentials: ExchangeCredentials,
    options: { tx?: Tx } = {},
  ): Promise<CredentialInfo> {
    assertApproved(actor);
    const key = this.requireKey();
    const creds = cleanCredentials(credentials);
    const write = async (tx: DbOrTx): Promise<CredentialInfo> => {
      const account = await this.ownedLiveAccount(tx, actor, accountId);
      const box = sealCredentials(key, creds, account.uid);
      const now = this.ctx.clock.now();
      const existing = await tx.accountCredential.findUnique({ where: { accountId } });
      const row = existing
        ? await tx.accountCredential.update({
            where: { accountId },
            data: { ...box, rotatedAt: now },
          })
        : await tx.accountCredential.create({ data: { accountId, ...box, createdAt: now } });
      await audit(tx, {
        actorId: actor.id,
        entityType: "CREDENTIALS",
        entityId: accountId,
        action: existing ? "ROTATE" : "STORE",
        details: {
          event: existing ? "credentials rotated" : "credentials stored",
          accountId,
          keyId: key.id,
        },
      });
      return toInfo(row);
    };
    if (options.tx) return write(options.tx);
    return this.ctx.db.$transaction((tx) => write(tx));
  }

  /**
   * /rotatekey: checks the new pair against the exchange, then replaces the stored one. The
   * account must be the actor's and live; nothing is written when any check fails.
   */
  async rotate(
    actor: Actor,
    accountId: number,
    credentials: ExchangeCredentials,
    options: { testnet: boolean } = { testnet: false },
  ): Promise<CredentialInfo> {
    assertApproved(actor);
    this.requireKey();
    const account = await this.ownedLiveAccount(this.ctx.db, actor, accountId);
    await this.verify(account.brokerCode, credentials, options);
    return this.store(actor, accountId, credentials);
  }

  /** What is stored for one of the actor's accounts (never the credentials); null: nothing. */
  async info(actor: Actor, accountId: number): Promise<CredentialInfo | null> {
    assertApproved(actor);
    const owned = await this.ctx.db.account.findFirst({
      where: { id: accountId, userId: actor.id },
      select: { credential: true },
    });
    if (!owned) throw new NotFoundError("account", accountId);
    return owned.credential ? toInfo(owned.credential) : null;
  }

  /**
   * The plain credentials of an account, for the broker layer's gateway factory only (it runs
   * for the system, so there is no actor). Throws SecretsNotConfiguredError,
   * CredentialsMissingError or CredentialsUnreadableError.
   */
  async load(accountId: number): Promise<ExchangeCredentials> {
    const key = this.requireKey();
    const row = await this.ctx.db.accountCredential.findUnique({
      where: { accountId },
      include: { account: { select: { uid: true } } },
    });
    if (!row) throw new CredentialsMissingError(accountId);
    return openCredentials(key, row);
  }

  /**
   * Re-encrypts every record from the configured master key to `next`, in one transaction: each
   * record is opened with the current key (a record that does not open stops everything, naming
   * its account), sealed under the new one and opened again before anything is committed.
   */
  async rekey(next: MasterKey): Promise<RekeySummary> {
    const current = this.requireKey();
    if (next.id === current.id)
      throw new ValidationError("newKey", "error-rekey-same-key", { keyId: current.id });
    return this.ctx.db.$transaction(
      async (tx) => {
        const rows = await tx.accountCredential.findMany({
          include: { account: { select: { uid: true } } },
          orderBy: { id: "asc" },
        });
        let rekeyed = 0;
        let unchanged = 0;
        const now = this.ctx.clock.now();
        for (const row of rows) {
          if (row.keyId === next.id) {
            // already moved (e.g. stored by a bot already running on the new key): it must open
            openCredentials(next, row);
            unchanged++;
            continue;
          }
          const plain = JSON.stringify(openCredentials(current, row));
          const aad = boundTo(row.account.uid);
          const box = seal(next, plain, aad);
          if (open(next, box, aad) !== plain)
            throw new Error(`re-encrypted credentials of account ${row.accountId} do not verify`);
          await tx.accountCredential.update({
            where: { id: row.id },
            data: { ...box, rekeyedAt: now },
          });
          rekeyed++;
        }
        await audit(tx, {
          actorId: null,
          entityType: "CREDENTIALS",
          action: "REKEY",
          details: {
            event: "credentials re-encrypted under a new master key",
            fromKeyId: current.id,
            toKeyId: next.id,
            rekeyed,
            unchanged,
          },
        });
        return { total: rows.length, rekeyed, unchanged, fromKeyId: current.id, toKeyId: next.id };
      },
      // one transaction over every record: allow more than Prisma's default 5 s
      { timeout: 10 * 60_000, maxWait: 60_000 },
    );
  }

  private requireKey(): MasterKey {
    if (!this.deps.masterKey) throw new SecretsNotConfiguredError();
    return this.deps.masterKey;
  }

  /** The actor's active live account (same not-found answer for someone else's or a missing one). */
  private async ownedLiveAccount(
    db: DbOrTx,
    actor: Actor,
    accountId: number,
  ): Promise<{ uid: string; brokerCode: string }> {
    const row = await db.account.findFirst({
      where: { id: accountId, userId: actor.id, isActive: true },
      include: { broker: true },
    });
    if (!row) throw new NotFoundError("account", accountId);
    if (row.broker.isPaper) throw new ValidationError("account", "error-paper-no-secret");
    return { uid: row.uid, brokerCode: row.broker.code };
  }
}

function toInfo(row: {
  accountId: number;
  keyId: string;
  createdAt: Date;
  rotatedAt: Date | null;
}): CredentialInfo {
  return {
    accountId: row.accountId,
    keyId: row.keyId,
    createdAt: row.createdAt,
    rotatedAt: row.rotatedAt,
  };
}
