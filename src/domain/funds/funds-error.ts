// Why a live account's exchange balances could not be read just now, as the fronts tell it: the
// key was refused, live trading is not configured, or the exchange did not answer (timeouts,
// outages, rate limits). Readers of balances degrade to saying so rather than failing.
import {
  BrokerKeyRejectedError,
  LiveTradingNotConfiguredError,
} from "../../brokers/gateway-errors.ts";

export type FundsError = "unreachable" | "key-rejected" | "not-configured";

export function fundsErrorOf(e: unknown): FundsError {
  if (e instanceof BrokerKeyRejectedError) return "key-rejected";
  if (e instanceof LiveTradingNotConfiguredError) return "not-configured";
  return "unreachable";
}
