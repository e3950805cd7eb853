// Failures of a market data source that callers handle by kind rather than by message.

/**
 * The source cannot reach its market (network down, exchange in maintenance, rate limited) and
 * has no earlier value to fall back on. Callers skip the work (alerts, screeners) or tell the
 * user; it clears by itself once the exchange answers again.
 */
export class MarketUnavailableError extends Error {
  constructor(
    /** the source's name ("ccxt:binance") */
    readonly source: string,
    /** when the source last got an answer, if ever */
    readonly lastSuccess: Date | null,
    options?: { cause?: unknown },
  ) {
    super(`market data source ${source} is unreachable`, options);
    this.name = "MarketUnavailableError";
  }
}

export function isMarketUnavailable(error: unknown): error is MarketUnavailableError {
  return error instanceof MarketUnavailableError;
}
