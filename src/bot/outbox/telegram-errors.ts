// What a failed send means for the outbox row (SendFailure, decided on by the drainer's failure
// policy), from grammY's errors: GrammyError when Telegram answered with an error (error_code,
// description, parameters.retry_after), HttpError when the request never got an answer (network
// down, timeout, DNS).
import { GrammyError, HttpError } from "grammy";
import type { SendFailure } from "../../jobs/outbox/outbox-sender.ts";

/** When a 429 carries no retry_after (it always should), wait this long. */
const DEFAULT_RETRY_AFTER_S = 5;

export function classifySendError(err: unknown): SendFailure {
  if (err instanceof GrammyError) {
    const description = `${err.error_code}: ${err.description}`;
    const code = err.error_code;
    if (code === 429) {
      const seconds = err.parameters?.retry_after ?? DEFAULT_RETRY_AFTER_S;
      return {
        kind: "flood",
        retryAfterMs: Math.max(0, seconds) * 1000,
        global: isGlobalFlood(err.description),
        description,
      };
    }
    if (
      code === 400 &&
      /can't parse entities|can't find end of|unsupported start tag/i.test(err.description)
    ) {
      return { kind: "parse", description };
    }
    if (code === 403) return { kind: "blocked", description };
    // 401/404 mean a bad token or a Bot API server in trouble, not a bad message: keep the rows
    if (code >= 500 || code === 401 || code === 404 || code === 409) {
      return { kind: "transient", description };
    }
    if (code >= 400) return { kind: "permanent", description };
    return { kind: "transient", description };
  }
  if (err instanceof HttpError) {
    return { kind: "transient", description: `network: ${messageOf(err.error) ?? err.message}` };
  }
  return { kind: "transient", description: `unexpected: ${messageOf(err) ?? String(err)}` };
}

/**
 * Telegram's 429 says nothing about scope; its description for bulk flooding mentions the bot as
 * a whole. The twin uses the same wording, so the drainer pauses every chat when it sees it.
 */
function isGlobalFlood(description: string): boolean {
  return /global|all chats|bot-wide/i.test(description);
}

function messageOf(e: unknown): string | undefined {
  return e instanceof Error ? e.message : undefined;
}
