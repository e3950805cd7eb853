// Binance's SIGNED endpoint security: the X-MBX-APIKEY header names a registered key, the
// `signature` parameter is HMAC-SHA256(secret, query string + request body) in hex, and
// `timestamp` must fall within `recvWindow` (default 5000 ms, at most 60000) of the server clock
// and no more than 1 s ahead of it.
import { createHmac, timingSafeEqual } from "node:crypto";
import { errors } from "./errors.ts";

export interface ApiKey {
  apiKey: string;
  secret: string;
  /** the account the key trades and reads */
  account: string;
  canTrade: boolean;
  /** reported as `canWithdraw` by /api/v3/account; a bot should refuse such keys */
  canWithdraw: boolean;
}

/** The signed payload with the `signature` parameter taken out, wherever it was. */
function withoutSignature(raw: string): { payload: string; signature: string | undefined } {
  let signature: string | undefined;
  const kept = raw
    .split("&")
    .filter((part) => {
      if (part.startsWith("signature=")) {
        signature = decodeURIComponent(part.slice("signature=".length));
        return false;
      }
      return part !== "";
    })
    .join("&");
  return { payload: kept, signature };
}

export function sign(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(payload).digest("hex");
}

export interface SignedRequest {
  rawQuery: string;
  rawBody: string;
  apiKeyHeader: string | undefined;
  params: URLSearchParams;
}

/** Checks key, timestamp and signature of a SIGNED request; returns the key or throws. */
export function authenticate(
  req: SignedRequest,
  keys: ReadonlyMap<string, ApiKey>,
  serverTimeMs: number,
  needsTrade: boolean,
): ApiKey {
  const header = req.apiKeyHeader;
  if (!header || !/^[A-Za-z0-9]{8,128}$/.test(header)) throw errors.keyFormat();
  const key = keys.get(header);
  if (!key) throw errors.keyRejected();

  const ts = req.params.get("timestamp");
  if (!ts) throw errors.mandatory("timestamp");
  if (!/^\d{1,20}$/.test(ts)) throw errors.illegalChars("timestamp");
  const rw = req.params.get("recvWindow");
  const recvWindow = rw === null ? 5000 : Number(rw);
  if (!Number.isFinite(recvWindow) || recvWindow <= 0) throw errors.illegalChars("recvWindow");
  if (recvWindow > 60_000) throw errors.recvWindowTooLarge();
  const timestamp = Number(ts);
  if (timestamp - serverTimeMs > 1000) throw errors.timestampAhead();
  if (serverTimeMs - timestamp > recvWindow) throw errors.timestampOutside();

  const q = withoutSignature(req.rawQuery);
  const b = withoutSignature(req.rawBody);
  const given = q.signature ?? b.signature;
  if (!given) throw errors.mandatory("signature");
  const expected = sign(key.secret, q.payload + b.payload);
  const a = Buffer.from(given.toLowerCase());
  const e = Buffer.from(expected);
  if (a.length !== e.length || !timingSafeEqual(a, e)) throw errors.badSignature();

  if (needsTrade && !key.canTrade) throw errors.keyRejected();
  return key;
}
