// What a ccxt exception means for the gateway. ccxt's classes are not enough on their own: the
// same Binance code lands in different classes depending on the URL and the instance's history
// (-2015 after a successful private call becomes DDoSProtection, a NOTIONAL filter failure is a
// BadRequest, a duplicate client id an InvalidOrder), so the exchange's own error code, which
// ccxt keeps in the message as the raw JSON body, decides first and the class second.
import { isCcxtErrorOf } from "./ccxt-errors.ts";

export type VenueFailure =
  /** the venue refused the order: nothing was placed; `reason` is a short code the bot localizes */
  | { kind: "refused"; reason: string }
  /** the client order id is taken by an order still open: the order exists already */
  | { kind: "duplicate" }
  /** the key or signature was refused */
  | { kind: "invalid-key" }
  /** slow down: 429 (`banned` false) or 418 (true); retryAfterMs from Retry-After when sent */
  | { kind: "rate-limited"; banned: boolean; retryAfterMs: number | null }
  /** the venue does not know the order */
  | { kind: "not-found" }
  /**
   * the request may or may not have taken effect (timeout, dropped connection, 5xx, the venue's
   * -1001/-1006/-1007 "unknown status"): look the order up before anything else
   */
  | { kind: "unknown-outcome" }
  /** anything else (a bug, an unexpected answer): passed on as it is */
  | { kind: "other" };

/** Binance's code in a ccxt message such as `binance {"code":-2010,"msg":"..."}`. */
export function venueCode(e: unknown): number | null {
  if (!(e instanceof Error)) return null;
  const m = /"code"\s*:\s*(-?\d+)/.exec(e.message);
  return m ? Number(m[1]) : null;
}

function venueMessage(e: Error): string {
  const m = /"msg"\s*:\s*"([^"]*)"/.exec(e.message);
  return m ? m[1]! : e.message;
}

/** -1013 and -2010 carry the precise refusal in their message. */
function refusalReason(code: number | null, msg: string): string {
  const filter = /Filter failure: ([A-Z_]+)/.exec(msg);
  if (filter) {
    const f = filter[1]!;
    if (f === "LOT_SIZE" || f === "MARKET_LOT_SIZE") return "lot-size";
    if (f === "PRICE_FILTER" || f === "PERCENT_PRICE" || f === "PERCENT_PRICE_BY_SIDE")
      return "price-filter";
    if (f === "NOTIONAL" || f === "MIN_NOTIONAL") return "min-notional";
    if (f === "TRAILING_DELTA") return "trailing-delta";
    return "filter-failure";
  }
  if (/insufficient balance/i.test(msg)) return "insufficient-balance";
  if (/would trigger immediately/i.test(msg)) return "would-trigger";
  if (/would immediately match/i.test(msg)) return "would-match";
  // an OCO pair whose take-profit, last price and stop-loss are not in order
  if (/relationship of the prices/i.test(msg)) return "oco-price-relation";
  if (code === -1121) return "unknown-symbol";
  if (code === -1013) return "filter-failure";
  if (code === -2010 || code === -1116 || code === -1115) return "venue-refused";
  return "venue-refused";
}

const UNKNOWN_STATUS_CODES = new Set([-1001, -1006, -1007]);
const KEY_CODES = new Set([-2014, -2015, -1022]);

/**
 * Classifies a ccxt exception. `retryAfterMs`: the Retry-After of the response, when the
 * caller could read it (ccxt keeps the last response's headers on the client).
 */
export function classify(e: unknown, retryAfterMs: number | null = null): VenueFailure {
  if (!(e instanceof Error)) return { kind: "other" };
  const code = venueCode(e);
  const msg = venueMessage(e);
  if (code !== null && KEY_CODES.has(code)) return { kind: "invalid-key" };
  if (code === -2010 && /duplicate order/i.test(msg)) return { kind: "duplicate" };
  if (code === -2011 || code === -2013) return { kind: "not-found" };
  if (code !== null && UNKNOWN_STATUS_CODES.has(code)) return { kind: "unknown-outcome" };
  // ccxt starts an HTTP error's message with the exchange id and the status: "binance 418 ..."
  if (/^\w+ 418\b/.test(e.message) || (code === -1003 && /banned/i.test(msg)))
    return { kind: "rate-limited", banned: true, retryAfterMs };
  if (code === -1003 || /^\w+ 429\b/.test(e.message))
    return { kind: "rate-limited", banned: false, retryAfterMs };
  if (isCcxtErrorOf(e, "AuthenticationError") || isCcxtErrorOf(e, "PermissionDenied"))
    return { kind: "invalid-key" };
  if (isCcxtErrorOf(e, "OrderNotFound")) return { kind: "not-found" };
  if (isCcxtErrorOf(e, "InsufficientFunds"))
    return { kind: "refused", reason: "insufficient-balance" };
  if (isCcxtErrorOf(e, "BadSymbol")) return { kind: "refused", reason: "unknown-symbol" };
  if (isCcxtErrorOf(e, "DDoSProtection") || isCcxtErrorOf(e, "RateLimitExceeded"))
    return { kind: "rate-limited", banned: false, retryAfterMs };
  if (isCcxtErrorOf(e, "InvalidOrder") || isCcxtErrorOf(e, "BadRequest")) {
    return { kind: "refused", reason: refusalReason(code, msg) };
  }
  if (isCcxtErrorOf(e, "NetworkError") || isCcxtErrorOf(e, "OperationFailed"))
    return { kind: "unknown-outcome" };
  return { kind: "other" };
}
