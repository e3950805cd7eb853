// The broker's short reason codes (GatewayOrder.rejectReason, stored on the order) in words.
// Codes come from the paper venue and the live gateways (src/brokers/ccxt/venue-errors.ts); one
// this list does not know yet is shown as the code itself rather than hidden.
import type { Translate } from "../../i18n.ts";

const KNOWN = new Set([
  "insufficient-balance",
  "lot-size",
  "price-filter",
  "min-notional",
  "trailing-delta",
  "trail-amount-unsupported",
  "filter-failure",
  "would-trigger",
  "would-match",
  "oco-price-relation",
  "unknown-symbol",
  "venue-refused",
  "invalid-key",
  "expired-ioc",
  "expired-fok",
  "self-trade-prevention",
  "submit-timeout",
]);

export function rejectReasonText(t: Translate, code: string | null | undefined): string {
  if (!code) return "—";
  return KNOWN.has(code) ? t(`reject-reason-${code}`) : code;
}
