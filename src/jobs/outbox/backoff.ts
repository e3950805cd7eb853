// Exponential backoff with jitter for transient send failures: the n-th failure waits a random
// time between half and all of base·2^(n−1), capped. The randomness spreads retries of many rows
// that failed together (a Bot API outage) so they do not all come back in the same instant.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 2_000, maxMs: 10 * 60_000 };

export function backoffDelay(
  failCount: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, failCount - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}
