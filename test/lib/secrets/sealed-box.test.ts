// The secret store's crypto: AES-256-GCM with a random nonce per record, the tag checked, the
// ciphertext bound to its record; master keys parsed strictly; the key id says nothing of the key.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadSecretsConfig } from "../../../src/config.ts";
import {
  MasterKey,
  MasterKeyError,
  SealedBoxError,
  loadMasterKey,
  open,
  seal,
} from "../../../src/lib/secrets/index.ts";

const raw = randomBytes(32);
const key = MasterKey.fromBytes(raw);
const other = MasterKey.fromBytes(randomBytes(32));
const SECRET = "s3cr3t-API-secret-value-0123456789abcdef";

describe("sealed boxes", () => {
  it("round-trips any text and never stores it in the clear", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300 }), fc.uuid(), (text, uid) => {
        const box = seal(key, text, uid);
        expect(open(key, box, uid)).toBe(text);
        expect(JSON.stringify(box)).not.toContain(text.length >= 8 ? text : "\u0000never");
      }),
    );
  });

  it("uses a fresh 96-bit nonce for every record", () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const box = seal(key, SECRET, "acct-1");
      expect(Buffer.from(box.nonce, "base64")).toHaveLength(12);
      expect(Buffer.from(box.tag, "base64")).toHaveLength(16);
      nonces.add(box.nonce);
    }
    expect(nonces.size).toBe(200);
    expect(seal(key, SECRET, "a").ciphertext).not.toBe(seal(key, SECRET, "a").ciphertext);
  });

  it("refuses a box moved to another record (associated data)", () => {
    const box = seal(key, SECRET, "account:1111");
    expect(() => open(key, box, "account:2222")).toThrow(SealedBoxError);
  });

  it("refuses altered ciphertext, tag or nonce", () => {
    const box = seal(key, SECRET, "r");
    const flip = (b64: string) => {
      const b = Buffer.from(b64, "base64");
      b[0]! ^= 1;
      return b.toString("base64");
    };
    for (const field of ["ciphertext", "tag", "nonce"] as const) {
      const bad = { ...box, [field]: flip(box[field]) };
      expect(() => open(key, bad, "r"), field).toThrow(/authentication tag/);
    }
    expect(() => open(key, { ...box, tag: "AAAA" }, "r")).toThrow(SealedBoxError);
  });

  it("names the key mismatch instead of trying another key", () => {
    const box = seal(key, SECRET, "r");
    try {
      open(other, box, "r");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SealedBoxError);
      expect((e as SealedBoxError).reason).toBe("key-mismatch");
      expect(String(e)).toContain(key.id);
    }
    // a forged key id does not help: the tag still fails
    expect(() => open(other, { ...box, keyId: other.id }, "r")).toThrow(/authentication tag/);
  });
});

describe("master keys", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "td-keys-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("accepts 32 bytes as base64 (padded or url-safe) or hex, and nothing else", () => {
    const b64 = raw.toString("base64");
    expect(MasterKey.parse(b64).id).toBe(key.id);
    expect(MasterKey.parse(raw.toString("base64url")).id).toBe(key.id);
    expect(MasterKey.parse(raw.toString("hex")).id).toBe(key.id);
    expect(MasterKey.parse(`  ${b64}\n`).id).toBe(key.id);
    for (const bad of [
      "",
      "hunter2",
      randomBytes(16).toString("base64"),
      randomBytes(31).toString("hex"),
      randomBytes(33).toString("base64"),
      "z".repeat(64),
    ]) {
      expect(() => MasterKey.parse(bad, "SECRETS_MASTER_KEY"), bad).toThrow(
        /SECRETS_MASTER_KEY must be 32 random bytes.*openssl rand -base64 32/,
      );
    }
  });

  it("has a short id that is neither the key nor its plain hash, and never prints the key", () => {
    expect(key.id).toMatch(/^[0-9a-f]{8}$/);
    expect(createHash("sha256").update(raw).digest("hex")).not.toContain(key.id);
    expect(raw.toString("hex")).not.toContain(key.id);
    expect(other.id).not.toBe(key.id);
    const b64 = raw.toString("base64");
    for (const shown of [String(key), JSON.stringify({ key }), inspect(key), `${key}`]) {
      expect(shown).toContain(key.id);
      expect(shown).not.toContain(b64);
      expect(shown).not.toContain(raw.toString("hex"));
    }
  });

  it("reads a key file, refuses a world-readable one and warns of a group-readable one", () => {
    const file = path.join(dir, "master.key");
    fs.writeFileSync(file, `${raw.toString("base64")}\n`, { mode: 0o600 });
    expect(MasterKey.fromFile(file).id).toBe(key.id);
    fs.chmodSync(file, 0o644);
    expect(() => MasterKey.fromFile(file)).toThrow(/readable by every user.*chmod 600/);
    fs.chmodSync(file, 0o640);
    const warnings: string[] = [];
    expect(MasterKey.fromFile(file, (w) => warnings.push(w)).id).toBe(key.id);
    expect(warnings.join()).toMatch(/group/);
    expect(() => MasterKey.fromFile(path.join(dir, "missing.key"))).toThrow(/ENOENT/);
    fs.writeFileSync(path.join(dir, "short.key"), "abc", { mode: 0o600 });
    expect(() => MasterKey.fromFile(path.join(dir, "short.key"))).toThrow(MasterKeyError);
  });

  it("loads from the environment the way the config does", () => {
    const b64 = raw.toString("base64");
    expect(loadMasterKey({})).toBeNull();
    expect(loadMasterKey({ masterKey: b64 })?.id).toBe(key.id);
    expect(() => loadMasterKey({ masterKey: b64, keyFile: "/x" })).toThrow(/not both/);
    expect(loadSecretsConfig({ SECRETS_MASTER_KEY: b64 }).SECRETS_MASTER_KEY).toBe(b64);
    expect(() => loadSecretsConfig({ SECRETS_MASTER_KEY: "short" })).toThrow(
      /SECRETS_MASTER_KEY must be 32 random bytes/,
    );
    expect(() => loadSecretsConfig({ SECRETS_MASTER_KEY: b64, SECRETS_KEY_FILE: "/k" })).toThrow(
      /SECRETS_KEY_FILE cannot be set together/,
    );
  });
});
