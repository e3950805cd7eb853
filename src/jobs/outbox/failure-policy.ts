// What a failed send means for its outbox row. Pure decisions, so every branch can be tested
// without Telegram, a database or a clock:
//
// - 429 (flood): retry after Telegram's retry_after without counting an attempt; the chat pauses
//   that long, and every chat does for a bot-wide flood (Telegram says so, or 429s arrived for
//   several chats at once: BotWideFloods).
// - 5xx, network, unexpected (transient): retry after an exponential backoff with jitter
//   (backoff.ts), counting the attempt; after maxAttempts the row gives up (FAILED, a dead letter
//   an admin can requeue).
// - 400 "can't parse entities" (parse): the rest of the row is resent as plain text once; a row
//   already in plain text gives up.
// - 403 (blocked, kicked, deactivated): the chat is blocked, which fails its undelivered rows.
// - any other 4xx (permanent): gives up at once with Telegram's description.
import { type BackoffOptions, DEFAULT_BACKOFF, backoffDelay } from "./backoff.ts";
import type { SendFailure } from "./outbox-sender.ts";

export interface FailurePolicyOptions {
  /** attempts (transient failures) before a row gives up */
  maxAttempts: number;
  backoff?: BackoffOptions;
  /** the jitter's source (tests pin it) */
  random?: () => number;
}

export type FailureDecision =
  /** back to PENDING, due in delayMs; the chat (or, pauseAll, every chat) waits as long */
  | { kind: "retry"; delayMs: number; failCount: number; error: string; pauseAll: boolean }
  /** FAILED for good */
  | { kind: "give-up"; failCount: number; error: string }
  /** what is left of the row goes out again as plain text */
  | { kind: "switch-to-text"; error: string }
  /** the chat is marked inactive, failing every undelivered row of it */
  | { kind: "chat-blocked"; error: string };

/**
 * The decision for one failed send of a row that had failed `row.failCount` times before.
 * `botWideFlood`: other chats got 429s just now too (BotWideFloods.record), so all should pause.
 */
export function decideFailure(
  failure: SendFailure,
  row: { failCount: number; format: string },
  options: FailurePolicyOptions,
  botWideFlood = false,
): FailureDecision {
  switch (failure.kind) {
    case "flood":
      return {
        kind: "retry",
        delayMs: failure.retryAfterMs,
        // a 429 says nothing about the message: it does not count as an attempt
        failCount: row.failCount,
        error: failure.description,
        pauseAll: failure.global || botWideFlood,
      };
    case "transient": {
      const failCount = row.failCount + 1;
      if (failCount >= options.maxAttempts) {
        const error = `after ${failCount} attempts: ${failure.description}`;
        return { kind: "give-up", failCount, error };
      }
      const delayMs = backoffDelay(failCount, options.backoff ?? DEFAULT_BACKOFF, options.random);
      return { kind: "retry", delayMs, failCount, error: failure.description, pauseAll: false };
    }
    case "parse":
      return row.format === "text"
        ? { kind: "give-up", failCount: row.failCount + 1, error: failure.description }
        : { kind: "switch-to-text", error: failure.description };
    case "blocked":
      return { kind: "chat-blocked", error: failure.description };
    case "permanent":
      return { kind: "give-up", failCount: row.failCount + 1, error: failure.description };
  }
}

/**
 * Telegram's 429 does not say whether one chat or the whole bot is flooding. 429s for this many
 * different chats within the window are taken as a bot-wide flood: every chat pauses.
 */
const GLOBAL_FLOOD_CHATS = 3;
const GLOBAL_FLOOD_WINDOW_MS = 1000;

/** The recent 429s per chat, to tell a bot-wide flood from one busy chat. */
export class BotWideFloods {
  private recent: Array<{ key: string; at: number }> = [];

  /** Notes a 429 for chat `key` at `now` (ms, monotonic); true when the whole bot is flooding. */
  record(key: string, now: number): boolean {
    this.recent = this.recent.filter((f) => f.at > now - GLOBAL_FLOOD_WINDOW_MS);
    this.recent.push({ key, at: now });
    return new Set(this.recent.map((f) => f.key)).size >= GLOBAL_FLOOD_CHATS;
  }
}
