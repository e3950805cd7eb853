// Typed broker errors (i18n keys for the fronts). Both are GatewayErrors, so a front that only
// knows the domain's error classes still shows something sensible.
import { GatewayError } from "../lib/errors.ts";

/** The account's broker is a live one, and no adapter for it is configured in this installation. */
export class LiveTradingNotConfiguredError extends GatewayError {
  constructor(readonly brokerCode: string) {
    super(
      "error-live-trading-not-configured",
      { broker: brokerCode },
      `live trading for ${brokerCode} is not configured here`,
    );
  }
}

/** The broker does not know the order asked for. */
export class BrokerOrderNotFoundError extends GatewayError {
  constructor(readonly ref: string) {
    super("error-broker-order-unknown", { ref });
  }
}

/**
 * The exchange refused the account's API key or its signature (Binance -2015, -1022, -2014;
 * HTTP 401). Retrying does not help: the owner must enter a working key.
 */
export class BrokerKeyRejectedError extends GatewayError {
  constructor(readonly brokerCode: string) {
    super("error-broker-key-rejected", { broker: brokerCode });
  }
}

/**
 * The exchange asked us to slow down (HTTP 429) or banned our address for a while (418) for
 * longer than a call may wait. `retryAt`: when it accepts requests again.
 */
export class BrokerRateLimitedError extends GatewayError {
  constructor(
    readonly brokerCode: string,
    readonly retryAt: Date,
  ) {
    super("error-broker-rate-limited", {
      broker: brokerCode,
      seconds: Math.max(1, Math.ceil((retryAt.getTime() - Date.now()) / 1000)),
    });
  }
}
