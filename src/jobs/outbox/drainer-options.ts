// What an outbox drainer is built from, and the knobs of its pace (src/jobs/outbox/drainer.ts).
import type { Database } from "../../db/client.ts";
import type { Clock } from "../../lib/clock.ts";
import type { Metrics } from "../../lib/metrics.ts";
import type { BackoffOptions } from "./backoff.ts";
import type { OutboxSender } from "./outbox-sender.ts";
import type { OutboxLimits } from "./rate-limiter.ts";
import type { OutboxLogger } from "./row-delivery.ts";

export interface OutboxDrainerOptions {
  db: Database;
  /** puts messages on the wire (the bot's TelegramOutboxSender, without auto-retry) */
  sender: OutboxSender;
  logger: OutboxLogger;
  clock?: Clock;
  /** send latency and outcome of every message (src/lib/metrics.ts) */
  metrics?: Metrics;
  /** default: Telegram's (30/s overall, 1/s per chat, 20/min per group) */
  limits?: OutboxLimits;
  /** unique per process; default host:pid:random */
  workerId?: string;
  /**
   * rows held in memory at most (more are claimed as room frees up); default 500. Enough that when
   * a global slot frees up some held chat is ready (a chat whose one row was just sent waits for
   * its window and the next claim): 200 measured 0.87 of the allowed rate in B3, 500 about 1.0.
   */
  batchSize?: number;
  /** rows held per chat at most; default 10 */
  perChatClaim?: number;
  /** attempts (5xx, network) before a row is FAILED; default 8 */
  maxAttempts?: number;
  /** how long a claim holds without renewal; default 60 s */
  leaseMs?: number;
  /** concurrent requests to Telegram; default 32 */
  maxInFlight?: number;
  backoff?: BackoffOptions;
  /** node-cron pattern of the poll tick (six fields, seconds first); default every second */
  pollPattern?: string;
}
