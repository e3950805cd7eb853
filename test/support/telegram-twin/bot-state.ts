// What the twin keeps per bot token: identity, the queue of unconfirmed updates with the one
// long poll that may wait on it, the allowed update types, webhook settings, commands per scope
// and language, and the callback queries it still has to answer.
import type { BotCommand, Update } from "grammy/types";
import { ApiError, conflict, Descriptions } from "./api-error.ts";
import type { BotInfo } from "./types.ts";

/** Telegram's default when allowed_updates was never given (or given as []). */
const OPT_IN_UPDATE_TYPES = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

export interface WebhookConfig {
  url: string;
  secretToken?: string;
  maxConnections: number;
}

interface PendingPoll {
  limit: number;
  finish: (outcome: Update[] | ApiError) => void;
}

export class BotRecord {
  /** Unconfirmed updates, ascending update_id. */
  readonly updates: Update[] = [];
  private nextUpdateId = 100_000_001;
  private allowedUpdates: Set<string> | null = null;
  private poll: PendingPoll | null = null;
  webhook: WebhookConfig | null = null;
  webhookLastError?: { date: number; message: string };
  readonly commands = new Map<string, BotCommand[]>();
  readonly callbackQueries = new Map<string, { answered: boolean }>();

  constructor(
    readonly info: BotInfo,
    private readonly onUpdate: (bot: BotRecord, update: Update) => void,
    /** Called when updates leave the queue or a long poll starts or stops waiting. */
    private readonly onChange: () => void,
  ) {}

  get hasWaitingPoll(): boolean {
    return this.poll !== null;
  }

  /** Replaces the allowed types; an empty list restores Telegram's default. */
  setAllowedUpdates(types: string[] | undefined): void {
    if (types === undefined) return;
    this.allowedUpdates = types.length === 0 ? null : new Set(types);
  }

  allows(type: string): boolean {
    return this.allowedUpdates ? this.allowedUpdates.has(type) : !OPT_IN_UPDATE_TYPES.has(type);
  }

  /**
   * Queues an update unless its type is filtered out (Telegram applies allowed_updates when an
   * update is created). A waiting long poll is answered on the next turn of the event loop, so
   * updates injected together arrive in one batch.
   */
  enqueue(content: Omit<Update, "update_id"> & { update_id?: number }): Update | undefined {
    const type = Object.keys(content).find((key) => key !== "update_id");
    if (type && !this.allows(type)) return undefined;
    const update = { ...content, update_id: content.update_id ?? this.nextUpdateId } as Update;
    this.nextUpdateId = Math.max(this.nextUpdateId, update.update_id) + 1;
    this.updates.push(update);
    this.updates.sort((a, b) => a.update_id - b.update_id);
    this.onUpdate(this, update);
    if (this.poll) {
      const poll = this.poll;
      setImmediate(() => {
        if (this.poll === poll && this.updates.length > 0)
          poll.finish(this.updates.slice(0, poll.limit));
      });
    }
    return update;
  }

  /** getUpdates' offset: confirms every update below it; a negative offset keeps the last -offset. */
  confirm(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    if (offset > 0) {
      const keepFrom = this.updates.findIndex((update) => update.update_id >= offset);
      this.removeFirst(keepFrom < 0 ? this.updates.length : keepFrom);
    } else {
      this.removeFirst(Math.max(0, this.updates.length + offset));
    }
  }

  private removeFirst(count: number): void {
    if (count <= 0) return;
    this.updates.splice(0, count);
    this.onChange();
  }

  /** Drops one delivered update (webhook mode confirms updates one by one). */
  confirmOne(updateId: number): void {
    const index = this.updates.findIndex((update) => update.update_id === updateId);
    if (index < 0) return;
    this.updates.splice(index, 1);
    this.onChange();
  }

  dropPending(): void {
    this.removeFirst(this.updates.length);
  }

  /**
   * Long polling: answers at once when updates are waiting (or timeout is 0), else waits for
   * the first update, the timeout, a competing poll (409) or the client going away.
   */
  longPoll(limit: number, timeoutMs: number, clientGone: AbortSignal): Promise<Update[]> {
    if (this.poll) {
      this.poll.finish(conflict(Descriptions.conflictOtherGetUpdates));
    }
    if (this.updates.length > 0 || timeoutMs <= 0)
      return Promise.resolve(this.updates.slice(0, limit));

    return new Promise<Update[]>((resolve, reject) => {
      const poll: PendingPoll = {
        limit,
        finish: (outcome) => {
          if (this.poll !== poll) return;
          this.poll = null;
          this.onChange();
          clearTimeout(timer);
          clientGone.removeEventListener("abort", onGone);
          if (outcome instanceof ApiError) reject(outcome);
          else resolve(outcome);
        },
      };
      const timer = setTimeout(() => poll.finish(this.updates.slice(0, limit)), timeoutMs);
      const onGone = (): void => poll.finish([]);
      clientGone.addEventListener("abort", onGone, { once: true });
      this.poll = poll;
      this.onChange();
    });
  }

  /** Ends the waiting poll, if any, with an error (setWebhook) or an empty batch (shutdown). */
  endPoll(outcome: ApiError | []): void {
    this.poll?.finish(outcome);
  }
}
