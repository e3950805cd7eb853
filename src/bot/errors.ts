// Turning errors into what a user reads. Domain errors carry an i18n key and parameters; a field
// name is translated too ("quantity" → "Количество"). Anything unexpected is logged with context
// and the user gets a short apology with a reference, never a stack trace.
import { GrammyError, HttpError } from "grammy";
import { currentCorrelationId } from "../lib/correlation.ts";
import {
  ConflictError,
  type DomainError,
  ValidationError,
  isDomainError,
} from "../domain/errors.ts";
import type { Logger } from "../logger.ts";
import { isMarketUnavailable } from "../market/types.ts";
import { formatAmount } from "./format/numbers.ts";
import type { Translate } from "./i18n.ts";

/** Errors whose `status` parameter is a status enum, and where its words are. */
const STATUS_WORDS: Record<string, string> = {
  "error-order-not-open": "order-status-",
  "error-not-pending": "users-status-",
};

/**
 * Parameters that are amounts of money when the error names a currency: the domain passes exact
 * digits ("48449.666883"); people read them grouped, in cents, in their locale ("48,449.67").
 */
const MONEY_PARAMS = [
  "amount",
  "available",
  "required",
  "balance",
  "free",
  "reserved",
  "requested",
  "observed",
  "limit",
  "equity",
  "minAmount",
];
const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/**
 * The most characters of a parameter an error message repeats back. Parameters often carry what
 * the user typed ("You have no portfolio called “…”"): a 4,000-character argument echoed once
 * per word made a message longer than Telegram's 4,096 and the answer was lost (found by the
 * fuzzer). Real names, symbols and amounts are far shorter (names: at most 40).
 */
export const MAX_ECHOED_PARAM = 100;

/** `text` cut to MAX_ECHOED_PARAM characters (whole code points), marked with "…" when cut. */
export function clipEchoed(text: string): string {
  const chars = Array.from(text);
  return chars.length <= MAX_ECHOED_PARAM
    ? text
    : `${chars.slice(0, MAX_ECHOED_PARAM - 1).join("")}…`;
}

export function describeDomainError(t: Translate, error: DomainError): string {
  const params: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(error.params))
    params[key] = typeof value === "string" ? clipEchoed(value) : value;
  if (typeof params.currency === "string") {
    // each locale file names the number format it is read in
    const locale = t("format-locale");
    for (const key of MONEY_PARAMS) {
      const value = params[key];
      if (typeof value === "string" && DECIMAL_TEXT.test(value))
        params[key] = formatAmount(value, locale);
    }
  }
  const statusWords = STATUS_WORDS[error.key];
  if (statusWords && typeof params.status === "string") {
    // the code too, for messages that say different things per status
    params.statusCode = params.status;
    params.status = t(`${statusWords}${params.status.toLowerCase()}`);
  }
  if (error instanceof ValidationError || error instanceof ConflictError)
    params.fieldName = t(`field-${error.field}`);
  if (typeof params.entity === "string") params.entityName = t(`entity-${params.entity}`);
  // "Did you mean ...?" only when there is something to suggest
  if (params.suggestions === "") params.suggestions = "none";
  return t(error.key, params);
}

export function describeError(
  t: Translate,
  error: unknown,
  logger: Logger,
  context: Record<string, unknown> = {},
): string {
  if (isDomainError(error)) return describeDomainError(t, error);
  if (isMarketUnavailable(error)) {
    // an outage of the exchange, not a bug: it passes by itself
    logger.warn({ err: error, ...context }, "market data unreachable while handling an update");
    return t("error-market-unavailable");
  }
  logger.error({ err: error, ...context }, "unexpected error while handling an update");
  return t("error-unexpected", { ref: currentCorrelationId() ?? "-" });
}

/** Telegram told us the user blocked the bot or the chat is gone. */
export function isBlockedError(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 403;
}

export function isNetworkError(error: unknown): boolean {
  return error instanceof HttpError;
}
