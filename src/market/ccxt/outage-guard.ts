// Every request of the ccxt market data source goes through here. A network-level failure
// (refused, reset, timeout, 5xx, 429/418) becomes MarketUnavailableError and makes the next
// requests fail fast for a short pause, so an outage costs one slow request, not one per caller;
// once the pause is over the next request tries the exchange again. The change of state (down,
// reachable again) is logged once, not per request.
import type { Exchange } from "ccxt";
import { MarketUnavailableError } from "../errors.ts";
import { loadCcxtErrors } from "./client.ts";

export interface MarketLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

interface OutageGuardOptions {
  /** the source's name in errors and logs ("ccxt:binance") */
  source: string;
  /** the client, built on first use */
  exchange: () => Promise<Exchange>;
  now: () => number;
  /** after a failed request, how long calls fail fast before the exchange is tried again */
  retryDelayMs: number;
  logger: MarketLogger;
}

export class OutageGuard {
  private lastSuccess: number | null = null;
  private lastFailure: number | null = null;

  constructor(private readonly opts: OutageGuardOptions) {}

  /** The exchange failed last, less than the retry delay ago: calls fail without asking it. */
  failingFast(now: number): boolean {
    return (
      this.lastFailure !== null &&
      (this.lastSuccess === null || this.lastFailure > this.lastSuccess) &&
      now - this.lastFailure < this.opts.retryDelayMs
    );
  }

  /** A request succeeded less than `ms` before `now`. */
  succeededWithin(now: number, ms: number): boolean {
    return this.lastSuccess !== null && now - this.lastSuccess < ms;
  }

  /**
   * One exchange request. Network-level failures become MarketUnavailableError and make the next
   * calls fail fast for the retry delay; other errors (a bad symbol, a bug) pass through unchanged.
   */
  async call<T>(request: (ex: Exchange) => Promise<T>): Promise<T> {
    const { source, logger, now } = this.opts;
    if (this.failingFast(now())) {
      throw new MarketUnavailableError(source, this.lastSeen());
    }
    try {
      const ex = await this.opts.exchange();
      const result = await request(ex);
      if (this.lastFailure !== null && (this.lastSuccess ?? 0) < this.lastFailure) {
        logger.info({ source }, "exchange reachable again");
      }
      this.lastSuccess = now();
      return result;
    } catch (e) {
      if (!(await isOutage(e))) throw e;
      const wasUp = this.lastFailure === null || (this.lastSuccess ?? 0) >= this.lastFailure;
      this.lastFailure = now();
      if (wasUp) {
        logger.warn(
          { source, err: e, lastSuccess: this.lastSeen() },
          "exchange unreachable; serving last good quotes",
        );
      }
      throw new MarketUnavailableError(source, this.lastSeen(), { cause: e });
    }
  }

  private lastSeen(): Date | null {
    return this.lastSuccess === null ? null : new Date(this.lastSuccess);
  }
}

/** ccxt's NetworkError family: the exchange, or the way to it, is not answering properly. */
async function isOutage(error: unknown): Promise<boolean> {
  const { NetworkError } = await loadCcxtErrors();
  return error instanceof NetworkError;
}
