// Honouring the exchange's "slow down": ccxt's own limiter (enableRateLimit) spaces requests by
// their weight, but a 429 (too many requests) or 418 (address banned) can still come, e.g. when
// another program shares the key or the address. Then the Retry-After the exchange sends is
// waited out, with bounded exponential backoff when it sends none, and no request at all goes
// out until then (hammering a 429 is what turns it into a 418 ban). A wait longer than a call
// may take fails fast with BrokerRateLimitedError, so a job or a user never hangs on it.
import type { Exchange } from "ccxt";
import { BrokerRateLimitedError } from "../gateway-errors.ts";
import { classify } from "./venue-errors.ts";

export interface PacingOptions {
  /** the longest one call may wait for the exchange, in total */
  maxWaitMs: number;
  /** attempts of one request before giving up (the first included) */
  maxAttempts: number;
  /** the first backoff step when the exchange sends no Retry-After (doubles each time) */
  baseDelayMs: number;
}

export const DEFAULT_PACING: Readonly<PacingOptions> = Object.freeze({
  maxWaitMs: 15_000,
  maxAttempts: 4,
  baseDelayMs: 1_000,
});

/** The Retry-After (seconds) of the exchange's last answer, in milliseconds. */
export function retryAfterMs(ex: Exchange): number | null {
  const headers = (ex.last_response_headers ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== "retry-after") continue;
    const seconds = Number(v);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  }
  return null;
}

export class VenuePacing {
  private pausedUntil = 0;
  private readonly options: PacingOptions;

  constructor(
    private readonly brokerCode: string,
    options: Partial<PacingOptions> = {},
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((r) => setTimeout(r, ms)),
  ) {
    this.options = { ...DEFAULT_PACING, ...options };
  }

  /** When the exchange accepts requests again (0: now). */
  get resumesAt(): number {
    return this.pausedUntil;
  }

  /**
   * Runs one request, retrying it after a 429/418 within the bounds. Safe for order placement
   * too: a request refused with 429/418 was not processed.
   */
  async run<T>(ex: Exchange, request: () => Promise<T>): Promise<T> {
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      const pause = this.pausedUntil - Date.now();
      if (pause > 0) {
        if (waited + pause > this.options.maxWaitMs) this.refuse();
        await this.sleep(pause);
        waited += pause;
      }
      try {
        return await request();
      } catch (e) {
        const failure = classify(e, retryAfterMs(ex));
        if (failure.kind !== "rate-limited") throw e;
        const backoff = this.options.baseDelayMs * 2 ** (attempt - 1);
        const delay = failure.retryAfterMs ?? backoff;
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
        if (attempt >= this.options.maxAttempts || waited + delay > this.options.maxWaitMs)
          this.refuse();
      }
    }
  }

  private refuse(): never {
    throw new BrokerRateLimitedError(this.brokerCode, new Date(this.pausedUntil));
  }
}
