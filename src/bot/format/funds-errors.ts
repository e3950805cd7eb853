// What the bot says when a live account's balances could not be read (/balance, /positions,
// reports): one message key per FundsError, each taking the broker's name.
import type { FundsError } from "../../domain/funds/funds-error.ts";

export const FUNDS_ERROR_KEYS: Record<FundsError, string> = {
  unreachable: "balance-exchange-unreachable",
  "key-rejected": "balance-exchange-key-rejected",
  "not-configured": "balance-exchange-not-configured",
};
