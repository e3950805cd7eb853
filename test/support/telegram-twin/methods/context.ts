// What a method handler gets: the calling bot, its parameters, the shared world and the twin's
// services. Handlers return the `result` or throw an ApiError.
import type { BotRecord } from "../bot-state.ts";
import type { Params } from "../params.ts";
import type { SendRateLimiter } from "../rate-limiter.ts";
import type { CallbackAnswer } from "../types.ts";
import type { World } from "../world.ts";

export interface TwinServices {
  readonly world: World;
  readonly limiter: SendRateLimiter;
  recordCallbackAnswer(answer: CallbackAnswer): void;
  /** Starts (or restarts) pushing this bot's updates to its webhook. */
  webhookChanged(bot: BotRecord): void;
  newFileId(kind: "photo" | "document"): { fileId: string; uniqueId: string };
}

export interface MethodContext {
  bot: BotRecord;
  params: Params;
  services: TwinServices;
  world: World;
  /** The twin's clock in ms. */
  now: number;
  /** Aborts when the HTTP client disconnects (used by long polling). */
  clientGone: AbortSignal;
}

/** A successful reply that also carries Telegram's `description` (setWebhook and friends). */
export class WithDescription {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

export type MethodHandler = (ctx: MethodContext) => unknown;

export function unixTime(ms: number): number {
  return Math.floor(ms / 1000);
}
