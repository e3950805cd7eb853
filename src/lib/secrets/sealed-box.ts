// AES-256-GCM with Node's crypto: a fresh random 96-bit nonce per record, the 128-bit auth tag
// checked on every open, and associated data binding a ciphertext to the record it belongs to (a
// ciphertext copied to another record fails to open instead of decrypting as someone else's).
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { MasterKey } from "./master-key.ts";

const ALGORITHM = "aes-256-gcm";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** What is stored: everything base64, plus the fingerprint of the key that sealed it. */
export interface SealedBox {
  keyId: string;
  nonce: string;
  tag: string;
  ciphertext: string;
}

/** A sealed box that does not open: another key, another record, or altered bytes. */
export class SealedBoxError extends Error {
  constructor(
    message: string,
    /** "key-mismatch": sealed under another master key; "corrupt": tag check failed */
    readonly reason: "key-mismatch" | "corrupt",
  ) {
    super(message);
    this.name = "SealedBoxError";
  }
}

export function seal(key: MasterKey, plaintext: string, associatedData: string): SealedBox {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key.encryptionKey(), nonce, {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return {
    keyId: key.id,
    nonce: nonce.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    ciphertext: ciphertext.toString("base64"),
  };
}

export function open(key: MasterKey, box: SealedBox, associatedData: string): string {
  if (box.keyId !== key.id)
    throw new SealedBoxError(
      `sealed under master key ${box.keyId}, the configured key is ${key.id}`,
      "key-mismatch",
    );
  const nonce = Buffer.from(box.nonce, "base64");
  const tag = Buffer.from(box.tag, "base64");
  if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES)
    throw new SealedBoxError("nonce or tag has the wrong length", "corrupt");
  const decipher = createDecipheriv(ALGORITHM, key.encryptionKey(), nonce, {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(Buffer.from(associatedData, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([
      decipher.update(Buffer.from(box.ciphertext, "base64")),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    // GCM says only "unable to authenticate": wrong record, altered bytes or another key
    throw new SealedBoxError("the authentication tag does not match", "corrupt");
  }
}
