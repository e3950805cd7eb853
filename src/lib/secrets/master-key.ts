// The master key that encrypts exchange API credentials. It lives outside the database: in
// SECRETS_MASTER_KEY (32 bytes as base64 or hex) or in a file named by SECRETS_KEY_FILE. The raw
// bytes never leave this object: it prints as its fingerprint only (logs, inspect, JSON), and the
// fingerprint (key id) is derived through HKDF, so it says nothing about the key.
import { createHash, hkdfSync } from "node:crypto";
import fs from "node:fs";
import { inspect } from "node:util";

export const MASTER_KEY_BYTES = 32;
const HOW_TO_GENERATE = "generate one with: openssl rand -base64 32";

/** A master key that cannot be used: wrong length, wrong encoding, unreadable file. */
export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MasterKeyError";
  }
}

/** Derives a purpose-bound 32-byte key from the master key (HKDF-SHA256). */
function derive(key: Buffer, purpose: string): Buffer {
  return Buffer.from(
    hkdfSync("sha256", key, Buffer.alloc(0), `tradedesk/secrets/v1/${purpose}`, 32),
  );
}

export class MasterKey {
  /** short fingerprint stored next to each ciphertext: which key encrypted it */
  readonly id: string;
  readonly #encryptionKey: Buffer;

  private constructor(raw: Buffer) {
    if (raw.length !== MASTER_KEY_BYTES)
      throw new MasterKeyError(
        `the master key must be exactly ${MASTER_KEY_BYTES} bytes, got ${raw.length}; ${HOW_TO_GENERATE}`,
      );
    // the cipher uses a derived key, the fingerprint another derivation: neither is the key itself
    this.#encryptionKey = derive(raw, "aes-256-gcm");
    this.id = createHash("sha256").update(derive(raw, "key-id")).digest("hex").slice(0, 8);
  }

  /** From text: 32 bytes as base64 (44 characters) or hex (64 characters). */
  static parse(text: string, source = "the master key"): MasterKey {
    const value = text.trim();
    let raw: Buffer | null = null;
    if (/^[0-9a-fA-F]{64}$/.test(value)) raw = Buffer.from(value, "hex");
    else if (/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(value)) {
      raw = Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    }
    if (!raw || raw.length !== MASTER_KEY_BYTES)
      throw new MasterKeyError(
        `${source} must be ${MASTER_KEY_BYTES} random bytes written as base64 (44 characters) or hex (64 characters); ${HOW_TO_GENERATE}`,
      );
    return new MasterKey(raw);
  }

  /** From raw bytes (tests, key generation). */
  static fromBytes(raw: Uint8Array): MasterKey {
    return new MasterKey(Buffer.from(raw));
  }

  /**
   * From a key file: its text is the key (base64 or hex). A file anyone on the machine can read
   * is refused; one the group can read is accepted with a warning.
   */
  static fromFile(file: string, warn: (message: string) => void = () => undefined): MasterKey {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (e) {
      throw new MasterKeyError(
        `SECRETS_KEY_FILE ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"}); ${HOW_TO_GENERATE} > ${file} && chmod 600 ${file}`,
      );
    }
    if (!stat.isFile()) throw new MasterKeyError(`SECRETS_KEY_FILE ${file} is not a file`);
    // POSIX permission bits only mean something off Windows
    if (process.platform !== "win32") {
      if (stat.mode & 0o004)
        throw new MasterKeyError(
          `SECRETS_KEY_FILE ${file} is readable by every user of this machine; run: chmod 600 ${file}`,
        );
      if (stat.mode & 0o040)
        warn(`SECRETS_KEY_FILE ${file} is readable by its group; chmod 600 ${file} is safer`);
    }
    return MasterKey.parse(
      fs.readFileSync(file, "utf8"),
      `the content of SECRETS_KEY_FILE ${file}`,
    );
  }

  /** The AES-256 key (for the cipher in this folder only). */
  encryptionKey(): Buffer {
    return this.#encryptionKey;
  }

  toString(): string {
    return `[MasterKey ${this.id}]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

export interface MasterKeySource {
  /** SECRETS_MASTER_KEY */
  masterKey?: string | undefined;
  /** SECRETS_KEY_FILE */
  keyFile?: string | undefined;
}

/**
 * The configured master key, or null when none is configured (live accounts are then refused).
 * Both set at once is refused: which one is meant would be a guess.
 */
export function loadMasterKey(
  source: MasterKeySource,
  warn?: (message: string) => void,
): MasterKey | null {
  const { masterKey, keyFile } = source;
  if (masterKey && keyFile)
    throw new MasterKeyError("set SECRETS_MASTER_KEY or SECRETS_KEY_FILE, not both");
  if (masterKey) return MasterKey.parse(masterKey, "SECRETS_MASTER_KEY");
  if (keyFile) return MasterKey.fromFile(keyFile, warn);
  return null;
}
