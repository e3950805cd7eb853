// One account's credentials as a sealed record and back: typed-in keys cleaned of paste
// accidents, sealed with AES-256-GCM under the master key and bound to the account's uid (a
// record copied onto another account does not open), and opened into the plain credentials with a
// typed error naming the account and the keys when it does not open.
import type { ExchangeCredentials } from "../../brokers/types.ts";
import {
  type MasterKey,
  type SealedBox,
  SealedBoxError,
  open,
  seal,
} from "../../lib/secrets/index.ts";
import { ValidationError } from "../errors.ts";
import { CredentialsUnreadableError } from "./credential-errors.ts";

const MAX_FIELD_LENGTH = 512;

/** A stored record, with the uid of the account it is bound to. */
interface SealedRecord {
  accountId: number;
  keyId: string;
  nonce: string;
  tag: string;
  ciphertext: string;
  account: { uid: string };
}

/** The associated data binding a sealed record to its account. */
export function boundTo(accountUid: string): string {
  return `tradedesk/account-credentials/v1/account:${accountUid}`;
}

function cleanSecret(field: string, value: string | undefined): string {
  const v = (value ?? "").trim();
  if (!v) throw new ValidationError(field, "error-credential-empty");
  // exchange keys are printable ASCII without spaces; anything else is a paste accident
  if (v.length > MAX_FIELD_LENGTH || !/^[\x21-\x7e]+$/.test(v))
    throw new ValidationError(field, "error-key-format");
  return v;
}

export function cleanCredentials(input: ExchangeCredentials): ExchangeCredentials {
  const apiKey = cleanSecret("apiKey", input.apiKey);
  const secret = cleanSecret("secret", input.secret);
  const password = input.password?.trim() ? cleanSecret("password", input.password) : undefined;
  return password ? { apiKey, secret, password } : { apiKey, secret };
}

/** Cleaned credentials sealed under `key` for the account with this uid. */
export function sealCredentials(
  key: MasterKey,
  credentials: ExchangeCredentials,
  accountUid: string,
): SealedBox {
  return seal(key, JSON.stringify(credentials), boundTo(accountUid));
}

/** The plain credentials of a record; CredentialsUnreadableError when it does not open. */
export function openCredentials(key: MasterKey, row: SealedRecord): ExchangeCredentials {
  let text: string;
  try {
    text = open(key, row, boundTo(row.account.uid));
  } catch (e) {
    if (!(e instanceof SealedBoxError)) throw e;
    throw new CredentialsUnreadableError(row.accountId, row.keyId, key.id, e.reason);
  }
  const parsed = JSON.parse(text) as ExchangeCredentials;
  return parsed.password
    ? { apiKey: parsed.apiKey, secret: parsed.secret, password: parsed.password }
    : { apiKey: parsed.apiKey, secret: parsed.secret };
}
