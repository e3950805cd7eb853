// Retries of Bot API calls for replies and edits: a 429 waits Telegram's retry_after, a 5xx or a
// dropped connection waits an exponential backoff (3 s, 6 s, 12 s… at most 60 s), at most
// MAX_RETRIES times, then the error goes to the caller (the error boundary apologizes).
//
// Why not @grammyjs/auto-retry: inside a conversation every call goes through the conversations
// plugin's replay log (its transformer sits below any we can install), so a failed attempt is
// recorded, and on every later update of that conversation the replay hands the failure back.
// auto-retry then slept through its delay again — every update of a conversation waited the sum
// of all the delays the conversation had ever met (seen: 34 s per answer after eight steps with
// one 5xx or 429 each, until answers no longer came at all). Here a call knows whether it really
// went out: the client's buildUrl (wireAwareBuildUrl, called for every request that goes on the
// wire) marks it, and an attempt served from the replay log is retried at once, without delay,
// so the replay takes the same decisions as the live run did and waits for nothing.
import { AsyncLocalStorage } from "node:async_hooks";
import { HttpError, type Transformer } from "grammy";

const MAX_RETRIES = 4;
const MAX_DELAY_S = 60;
const FIRST_BACKOFF_S = 3;

const wire = new AsyncLocalStorage<{ sent: boolean }>();

/** grammY's default request URL; marks the call in progress as one that went on the wire. */
export function wireAwareBuildUrl(
  root: string,
  token: string,
  method: string,
  env: "prod" | "test",
): string {
  const attempt = wire.getStore();
  if (attempt) attempt.sent = true;
  return `${root}/bot${token}/${env === "test" ? "test/" : ""}${method}`;
}

/** grammY's signal type (its AbortSignal shim on Node) */
interface Abortable {
  addEventListener(type: "abort", listener: () => void): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

function pause(seconds: number, signal?: Abortable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      signal?.removeEventListener("abort", abort);
      resolve();
    };
    const timer = setTimeout(done, seconds * 1000);
    const abort = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", abort);
      reject(new Error("Request aborted while waiting between retries"));
    };
    signal?.addEventListener("abort", abort);
  });
}

/** The retry transformer for the bot's Api and every conversation's Api (see the header). */
export function retryTransformer(): Transformer {
  return async (prev, method, payload, signal) => {
    let backoff = FIRST_BACKOFF_S;
    for (let retries = 0; ; retries++) {
      const attempt = { sent: false };
      let delay: number;
      try {
        const res = await wire.run(attempt, () => prev(method, payload, signal));
        const retryAfter = res.ok ? undefined : res.parameters?.retry_after;
        if (res.ok || retries >= MAX_RETRIES) return res;
        if (retryAfter !== undefined) {
          if (retryAfter > MAX_DELAY_S) return res;
          delay = retryAfter;
          backoff = FIRST_BACKOFF_S;
        } else if (res.error_code >= 500) {
          delay = backoff;
          backoff = Math.min(MAX_DELAY_S, backoff * 2);
        } else return res;
      } catch (error) {
        if (!(error instanceof HttpError) || signal?.aborted || retries >= MAX_RETRIES) throw error;
        delay = backoff;
        backoff = Math.min(MAX_DELAY_S, backoff * 2);
      }
      // an attempt the replay log answered waited its delay when it was live: not again
      if (attempt.sent) await pause(delay, signal);
    }
  };
}
