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
