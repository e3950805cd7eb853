// The outbox drain: delivers notification_outbox rows to Telegram within its rate limits, in order
// per chat, retrying what can be retried and recording what cannot, so no notification is lost.
//
// How it runs. A croner tick (every second, `protect` so ticks never overlap) renews this
// drainer's leases and claims rows; between ticks, rows are claimed as sends free up room (at
// most every 200 ms). Claimed rows wait in per-chat queues; an in-process scheduler sends the
// head of the next ready chat, round-robin, whenever the global window and that chat's windows
// allow (src/jobs/outbox/rate-limiter.ts), with at most one send in flight per chat (order) and
// `maxInFlight` overall.
//
// Failures. 429: the chat pauses for retry_after (every chat, for a bot-wide flood: 429s for
// several chats at once) and the row goes back to PENDING due then, with the chat's other claimed
// rows released so they stay behind it. 5xx, network and unexpected errors: the same, after an
// exponential backoff with jitter, counting the attempt; after maxAttempts the row is FAILED (a
// dead letter an admin can requeue). 400 "can't parse entities": the rest of the row is converted
// to plain text once and sent again. Other 4xx: FAILED at once with Telegram's description. 403
// (blocked, kicked, deactivated): the chat is marked inactive (ChatService.markInactive), which
// fails its undelivered rows; other chats are unaffected.
//
// Delivery guarantee: at least once, never lost. A row is marked SENT only after Telegram accepted
// it; a drainer killed at any moment leaves its claimed rows SENDING with a lease, and any drainer
// takes them over when the lease runs out. The one duplicate window: Telegram accepted a message
// and the process died before the SENT (or partsSent) update committed; that message is sent again.
// partsSent narrows it to the one part in flight, and the window is one request per chat at a time,
// so a crash repeats at most one message per chat that had a send in flight. Enqueue-side
// duplicates are prevented by the dedupe key (src/domain/notifications/notification-service.ts).
//
// The Api given here must NOT have grammY's auto-retry transformer installed: auto-retry would sleep
// through a 429 inside the call, holding this drainer's slot and hiding the flood from the
// scheduler, which has to pause exactly that chat and keep others going. Give the drainer a plain
// `new Api(token, { apiRoot })` (or the bot's Api before auto-retry is installed).
import { randomBytes } from "node:crypto";
import os from "node:os";
import { Cron } from "croner";
import { type Api, InputFile } from "grammy";
import type { InlineKeyboardMarkup, MessageEntity } from "grammy/types";
import type { Database } from "../../db/client.ts";
import { ChatService } from "../../domain/notifications/chat-service.ts";
import { tagMarkup } from "../../lib/button-owner.ts";
import { type Clock, systemClock } from "../../lib/clock.ts";
import { type Metrics, noMetrics } from "../../lib/metrics.ts";
import { withCorrelationId } from "../../lib/correlation.ts";
import { htmlToPlainText } from "../../lib/html.ts";
import type { Logger } from "../../logger.ts";
import { type BackoffOptions, DEFAULT_BACKOFF, backoffDelay } from "./backoff.ts";
import { type MessagePart, renderParts } from "./message-parts.ts";
import { type ClaimedRow, OutboxStore, type RecentSend } from "./outbox-store.ts";
import {
  type ChatKind,
  MultiWindow,
  type OutboxLimits,
  SlidingWindow,
  TELEGRAM_LIMITS,
  chatWindows,
} from "./rate-limiter.ts";
import { type SendFailure, classifySendError } from "./telegram-errors.ts";

/** The two Bot API methods the drainer uses (a grammY Api satisfies it). */
export type OutboxApi = Pick<Api, "sendMessage" | "sendPhoto">;

export type DrainerLogger = Pick<Logger, "debug" | "info" | "warn" | "error">;

export interface OutboxDrainerOptions {
  db: Database;
  /** a grammY Api WITHOUT the auto-retry transformer (see the header) */
  api: OutboxApi;
  logger: DrainerLogger;
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
  /** croner pattern of the poll tick; default every second */
  pollPattern?: string;
}

export interface DrainStats {
  /** rows delivered completely */
  sent: number;
  /** Telegram messages (parts and photos) accepted */
  messages: number;
  /** rows given up (dead letters, permanent errors, blocked chats) */
  failed: number;
  /** rows put back for a later attempt (429, 5xx, network) */
  retried: number;
  /** 429 answers received */
  floods: number;
}

interface QueuedRow extends ClaimedRow {
  parts: MessagePart[];
}

interface ChatQueue {
  key: string;
  rows: QueuedRow[];
  busy: boolean;
  limiter: ChatLimiter;
}

/**
 * Per-chat rate state outlives the queue: a chat whose queue emptied and is refilled a moment
 * later (or that is paused by a 429) must still wait.
 */
interface ChatLimiter {
  window: MultiWindow;
  lastUsed: number;
  pausedUntil: number;
}

const LIMITER_IDLE_MS = 65_000;
/**
 * Telegram's 429 does not say whether one chat or the whole bot is flooding. 429s for this many
 * different chats within the window are taken as a bot-wide flood: every chat pauses.
 */
const GLOBAL_FLOOD_CHATS = 3;
const GLOBAL_FLOOD_WINDOW_MS = 1000;
const WRITE_ATTEMPTS = 3;
const CLAIM_INTERVAL_MS = 200;

export class OutboxDrainer {
  readonly workerId: string;
  private readonly store: OutboxStore;
  private readonly chats: ChatService;
  private readonly api: OutboxApi;
  private readonly log: DrainerLogger;
  private readonly metrics: Metrics;
  private readonly clock: Clock;
  private readonly limits: OutboxLimits;
  private readonly batchSize: number;
  private readonly perChatClaim: number;
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly maxInFlight: number;
  private readonly backoff: BackoffOptions;
  private readonly pollPattern: string;

  private readonly global: SlidingWindow;
  private globalPausedUntil = 0;
  private recentFloods: Array<{ key: string; at: number }> = [];
  private readonly queues = new Map<string, ChatQueue>();
  private ring: string[] = [];
  private cursor = 0;
  private readonly limiters = new Map<string, ChatLimiter>();
  private readonly held = new Set<number>();
  /** rows whose delivery the rate windows already count (sent here, or seeded), with when */
  private readonly counted = new Map<number, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pendingWrites = new Set<Promise<unknown>>();
  private claiming: Promise<void> | null = null;
  /** the last claim found nothing and nothing is held: wait for the tick before asking again */
  private exhausted = false;
  private lastClaimAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private cron: Cron | null = null;
  private stopping = false;
  private idleWaiters: Array<() => void> = [];
  private readonly counters: DrainStats = {
    sent: 0,
    messages: 0,
    failed: 0,
    retried: 0,
    floods: 0,
  };

  constructor(options: OutboxDrainerOptions) {
    this.workerId =
      options.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.clock = options.clock ?? systemClock;
    this.store = new OutboxStore(options.db, this.workerId);
    this.chats = new ChatService({
      db: options.db.prisma,
      provider: options.db.provider,
      clock: this.clock,
    });
    this.api = options.api;
    this.log = options.logger;
    this.metrics = options.metrics ?? noMetrics;
    this.limits = options.limits ?? TELEGRAM_LIMITS;
    this.batchSize = options.batchSize ?? 500;
    this.perChatClaim = options.perChatClaim ?? 10;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxInFlight = options.maxInFlight ?? 32;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.pollPattern = options.pollPattern ?? "* * * * * *";
    this.global = new SlidingWindow(
      { limit: this.limits.globalPerSecond, windowMs: 1000 },
      this.marginMs,
    );
  }

  private get marginMs(): number {
    return this.limits.marginMs ?? 10;
  }

  /** Totals since this drainer was created. */
  stats(): DrainStats {
    return { ...this.counters };
  }

  /** Starts the poll tick; rows claimed by an earlier run with the same worker id are given back. */
  async start(): Promise<void> {
    if (this.cron) return;
    this.stopping = false;
    const released = await this.store.releaseAll();
    if (released > 0) this.log.info({ released }, "outbox: released rows of a previous run");
    let seq = 0;
    this.cron = new Cron(
      this.pollPattern,
      { protect: true, name: `outbox-drain:${this.workerId}` },
      () => withCorrelationId(`outbox-${++seq}`, () => this.tick()),
    );
    await this.tick();
  }

  /**
   * Stops claiming and sending, lets the sends in flight finish and record their outcome, then
   * gives every row still held back to the queue (PENDING), so another drainer or the next start
   * sends them without waiting for a lease.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.cron?.stop();
    this.cron = null;
    this.clearTimer();
    while (this.inFlight.size > 0 || this.claiming || this.pendingWrites.size > 0) {
      await Promise.allSettled([...this.inFlight, ...this.pendingWrites, this.claiming]);
    }
    const ids = [...this.held];
    this.held.clear();
    this.queues.clear();
    this.ring = [];
    await this.store.release(ids);
    this.notifyIdle();
  }

  /** Ask for a claim now instead of at the next tick (e.g. right after enqueueing). */
  wake(): void {
    if (this.stopping) return;
    this.exhausted = false;
    this.refill();
  }

  /**
   * Claims and sends until nothing is due (rows put back for a later retry are not waited for),
   * without the tick. For tests and one-shot tools; do not mix with start().
   */
  async drainOnce(): Promise<DrainStats> {
    const before = this.stats();
    this.stopping = false;
    this.exhausted = false;
    this.refill();
    await this.whenIdle();
    const after = this.stats();
    return {
      sent: after.sent - before.sent,
      messages: after.messages - before.messages,
      failed: after.failed - before.failed,
      retried: after.retried - before.retried,
      floods: after.floods - before.floods,
    };
  }

  // ───────────── tick and claims ─────────────

  private async tick(): Promise<void> {
    if (this.stopping) return;
    this.exhausted = false;
    try {
      if (this.held.size > 0)
        await this.store.renew([...this.held], this.clock.now(), this.leaseMs);
    } catch (err) {
      this.log.error({ err }, "outbox: renewing leases failed");
    }
    this.pruneLimiters(performance.now());
    this.refill();
    await this.claiming;
  }

  /**
   * Claims more rows when there is room: at once when nothing is held, otherwise at most every
   * CLAIM_INTERVAL_MS (so a claim per send never happens, and chats not yet held get their turn
   * while slow chats work through theirs).
   */
  private refill(): void {
    if (this.stopping || this.claiming || this.exhausted) return;
    const room = this.batchSize - this.held.size;
    if (room <= 0) return;
    const sinceLast = performance.now() - this.lastClaimAt;
    if (this.held.size > 0 && sinceLast < CLAIM_INTERVAL_MS) {
      this.wakeIn(CLAIM_INTERVAL_MS - sinceLast);
      return;
    }
    this.lastClaimAt = performance.now();
    this.claiming = (async () => {
      try {
        const rows = await this.store.claim({
          now: this.clock.now(),
          limit: room,
          perChat: this.perChatClaim,
          leaseMs: this.leaseMs,
        });
        // nothing claimable and nothing held: wait for the tick. (While rows are held, an empty
        // claim may only mean their chats are at the per-chat cap: ask again as they drain.)
        if (rows.length === 0 && this.held.size === 0) this.exhausted = true;
        const history = await this.historyOfTakenOverChats(rows);
        for (const row of rows) this.accept(row);
        this.seedLimiters(history);
        if (rows.length > 0) this.log.debug({ claimed: rows.length }, "outbox: claimed");
      } catch (err) {
        this.exhausted = true;
        this.log.error({ err }, "outbox: claiming failed");
      } finally {
        this.claiming = null;
      }
      this.pump();
    })();
  }

  /**
   * Deliveries this drainer has not counted yet to the chats it is taking over (chats it holds no
   * rows of right now: only those can have been served by another drainer meanwhile, or by this
   * one before a restart). Private chats need their per-chat window back, groups their minute.
   */
  private async historyOfTakenOverChats(rows: ClaimedRow[]): Promise<RecentSend[]> {
    const taken = new Map<string, ChatKind>();
    for (const r of rows)
      if (!this.queues.has(r.telegramChatId)) taken.set(r.telegramChatId, r.chatType);
    if (taken.size === 0) return [];
    const now = this.clock.now().getTime();
    const privateSince = new Date(
      now - chatWindows(this.limits, "PRIVATE")[0]!.windowMs - this.marginMs,
    );
    const groupSince = new Date(now - 60_000 - this.marginMs);
    const privates = [...taken].filter(([, kind]) => kind === "PRIVATE").map(([key]) => key);
    const groups = [...taken].filter(([, kind]) => kind !== "PRIVATE").map(([key]) => key);
    try {
      const found = [
        ...(privates.length > 0 ? await this.store.recentSends(privates, privateSince) : []),
        ...(groups.length > 0 ? await this.store.recentSends(groups, groupSince) : []),
      ];
      return found.filter((send) => !this.counted.has(send.id));
    } catch (err) {
      this.log.warn({ err }, "outbox: reading recent deliveries failed");
      return [];
    }
  }

  /**
   * Counts those deliveries in the chats' windows, mapped from wall-clock time (sentAt, written
   * after Telegram's answer: never earlier than Telegram counted it) onto the monotonic clock.
   */
  private seedLimiters(history: RecentSend[]): void {
    const wallNow = this.clock.now().getTime();
    const monoNow = performance.now();
    for (const send of history) {
      const limiter = this.limiters.get(send.telegramChatId);
      if (!limiter) continue;
      const at = monoNow - Math.max(0, wallNow - send.sentAt.getTime());
      limiter.window.record(at);
      limiter.lastUsed = Math.max(limiter.lastUsed, at);
      this.counted.set(send.id, at);
    }
  }

  private accept(row: ClaimedRow): void {
    if (this.held.has(row.id)) return;
    if (!row.chatActive) {
      this.track(this.store.failed(row.id, "chat blocked", row.failCount));
      this.counters.failed++;
      return;
    }
    let parts: MessagePart[];
    try {
      parts = renderParts({ ...row, hasAttachment: row.attachment !== null });
    } catch (err) {
      this.track(this.store.failed(row.id, `cannot render: ${String(err)}`, row.failCount));
      this.counters.failed++;
      return;
    }
    if (row.partsSent >= parts.length) {
      // every part went out before a crash; only the SENT mark was missing
      this.track(this.store.sent(row.id, row.partsSent, this.clock.now()));
      this.counters.sent++;
      return;
    }
    const key = row.telegramChatId;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { key, rows: [], busy: false, limiter: this.limiterFor(key, row.chatType) };
      this.queues.set(key, queue);
      this.ring.push(key);
    }
    const queued: QueuedRow = { ...row, parts };
    const at = queue.rows.findIndex((r) => r.id > row.id);
    if (at < 0) queue.rows.push(queued);
    else queue.rows.splice(at, 0, queued);
    this.held.add(row.id);
  }

  private limiterFor(key: string, kind: ChatKind): ChatLimiter {
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = {
        window: new MultiWindow(chatWindows(this.limits, kind), this.marginMs),
        lastUsed: 0,
        pausedUntil: 0,
      };
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  private pruneLimiters(now: number): void {
    for (const [id, at] of this.counted) if (now - at > LIMITER_IDLE_MS) this.counted.delete(id);
    for (const [key, limiter] of this.limiters) {
      const idle = now - limiter.lastUsed > LIMITER_IDLE_MS && limiter.pausedUntil < now;
      if (idle && !this.queues.has(key)) {
        this.limiters.delete(key);
      }
    }
  }

  // ───────────── the send scheduler ─────────────

  private pump(): void {
    while (!this.stopping && this.inFlight.size < this.maxInFlight) {
      const now = performance.now();
      const next = this.pick(now);
      if ("queue" in next) {
        this.dispatch(next.queue, now);
        continue;
      }
      if (Number.isFinite(next.waitMs)) this.wakeIn(next.waitMs);
      break;
    }
    this.refill();
    this.notifyIdle();
  }

  /** The next chat to serve, round-robin from where the last pick stopped, or how long to wait. */
  private pick(now: number): { queue: ChatQueue } | { waitMs: number } {
    let waitMs = Number.POSITIVE_INFINITY;
    const globalWait = Math.max(this.global.waitMs(now), this.globalPausedUntil - now);
    const n = this.ring.length;
    for (let k = 0; k < n; k++) {
      const idx = (this.cursor + k) % n;
      const queue = this.queues.get(this.ring[idx]!)!;
      if (queue.busy || queue.rows.length === 0) continue;
      const { limiter } = queue;
      const wait = Math.max(globalWait, limiter.pausedUntil - now, limiter.window.waitMs(now));
      if (wait > 0) {
        waitMs = Math.min(waitMs, wait);
        continue;
      }
      this.cursor = (idx + 1) % n;
      return { queue };
    }
    return { waitMs };
  }

  private wakeIn(ms: number): void {
    const at = performance.now() + ms;
    if (this.timer && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.pump();
      },
      Math.max(0, Math.ceil(ms)),
    );
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private dispatch(queue: ChatQueue, now: number): void {
    queue.busy = true;
    this.global.reserve();
    queue.limiter.window.reserve();
    queue.limiter.lastUsed = now;
    // the windows log the send when its answer arrives (see rate-limiter.ts)
    const settle = () => {
      const at = performance.now();
      this.global.settle(at);
      queue.limiter.window.settle(at);
      queue.limiter.lastUsed = at;
    };
    const run = this.sendHead(queue, settle)
      .catch((err: unknown) => this.log.error({ err, chat: queue.key }, "outbox: send failed"))
      .finally(() => {
        this.inFlight.delete(run);
        queue.busy = false;
        this.dropIfEmpty(queue);
        this.pump();
      });
    this.inFlight.add(run);
  }

  private dropIfEmpty(queue: ChatQueue): void {
    if (queue.rows.length > 0 || queue.busy) return;
    this.queues.delete(queue.key);
    const at = this.ring.indexOf(queue.key);
    if (at >= 0) {
      this.ring.splice(at, 1);
      if (this.cursor > at) this.cursor--;
      if (this.cursor >= this.ring.length) this.cursor = 0;
    }
  }

  // ───────────── one send and its outcome ─────────────

  private async sendHead(queue: ChatQueue, settle: () => void): Promise<void> {
    const row = queue.rows[0];
    if (!row) {
      settle();
      return;
    }
    const part = row.parts[row.partsSent]!;
    const last = row.partsSent === row.parts.length - 1;
    const started = performance.now();
    try {
      await this.send(row, part, last);
      settle();
    } catch (err) {
      settle();
      const failure = classifySendError(err);
      // floods, transient errors and bad markup (resent as plain text) are tried again
      const retried = failure.kind !== "permanent" && failure.kind !== "blocked";
      this.metrics.outboxSend(performance.now() - started, retried ? "retry" : "failed");
      this.metrics.error("outbox", failure.kind);
      await this.onFailure(queue, row, failure);
      return;
    }
    this.metrics.outboxSend(performance.now() - started, "ok");
    this.counters.messages++;
    row.partsSent++;
    if (row.partsSent < row.parts.length) {
      if (!(await this.write(() => this.store.partSent(row.id, row.partsSent)))) {
        this.forget(queue, row, "claim lost after a part was sent");
      }
      return;
    }
    const recorded = await this.write(() =>
      this.store.sent(row.id, row.partsSent, this.clock.now()),
    );
    this.forget(queue, row, recorded ? null : "claim lost before the row was marked sent");
    if (recorded) {
      this.counters.sent++;
      this.counted.set(row.id, performance.now());
    }
  }

  private async send(row: QueuedRow, part: MessagePart, last: boolean): Promise<void> {
    // in a group or channel everyone sees the buttons: bind them to the destination's owner
    const keyboard = row.replyMarkup as InlineKeyboardMarkup | null; // stored from the same shape
    const markup =
      last && keyboard
        ? {
            reply_markup:
              row.chatType === "PRIVATE" ? keyboard : tagMarkup(keyboard, row.ownerTelegramId),
          }
        : {};
    const bold = (length: number): MessageEntity[] => [{ type: "bold", offset: 0, length }];
    if (part.kind === "text") {
      await this.api.sendMessage(row.telegramChatId, part.text, {
        ...(part.html
          ? { parse_mode: "HTML" as const }
          : part.boldPrefix > 0
            ? { entities: bold(part.boldPrefix) }
            : {}),
        link_preview_options: { is_disabled: true },
        ...markup,
      });
      return;
    }
    const photo = new InputFile(row.attachment!, row.attachmentName ?? "image.png");
    await this.api.sendPhoto(row.telegramChatId, photo, {
      ...(part.caption ? { caption: part.caption } : {}),
      ...(part.caption && part.html ? { parse_mode: "HTML" as const } : {}),
      ...(part.caption && !part.html && part.boldPrefix > 0
        ? { caption_entities: bold(part.boldPrefix) }
        : {}),
      ...markup,
    });
  }

  private async onFailure(queue: ChatQueue, row: QueuedRow, failure: SendFailure): Promise<void> {
    const now = performance.now();
    switch (failure.kind) {
      case "flood": {
        this.counters.floods++;
        this.log.warn(
          { chat: queue.key, retryAfterMs: failure.retryAfterMs, global: failure.global },
          "outbox: 429 from Telegram",
        );
        const until = now + failure.retryAfterMs;
        queue.limiter.pausedUntil = Math.max(queue.limiter.pausedUntil, until);
        if (failure.global || this.isBotWideFlood(queue.key, now)) {
          this.globalPausedUntil = Math.max(this.globalPausedUntil, until);
        }
        await this.putBack(queue, row, failure.retryAfterMs, failure.description, row.failCount);
        return;
      }
      case "transient": {
        const failCount = row.failCount + 1;
        if (failCount >= this.maxAttempts) {
          this.log.warn({ row: row.id, error: failure.description }, "outbox: giving up");
          await this.giveUp(
            queue,
            row,
            `after ${failCount} attempts: ${failure.description}`,
            failCount,
          );
          return;
        }
        const delay = backoffDelay(failCount, this.backoff);
        queue.limiter.pausedUntil = Math.max(queue.limiter.pausedUntil, now + delay);
        await this.putBack(queue, row, delay, failure.description, failCount);
        return;
      }
      case "parse": {
        if (row.format === "text") {
          await this.giveUp(queue, row, failure.description, row.failCount + 1);
          return;
        }
        await this.switchToText(queue, row, failure.description);
        return;
      }
      case "blocked": {
        this.log.info(
          { chat: queue.key, error: failure.description },
          "outbox: chat blocked the bot",
        );
        const ids = queue.rows.map((r) => r.id);
        try {
          await this.chats.markInactive(queue.key, failure.description);
        } catch (err) {
          this.log.error({ err, chat: queue.key }, "outbox: marking the chat inactive failed");
        }
        // markInactive failed every undelivered row of the chat, the held ones included
        for (const id of ids) this.held.delete(id);
        this.counters.failed += ids.length;
        queue.rows = [];
        return;
      }
      case "permanent":
        await this.giveUp(queue, row, failure.description, row.failCount + 1);
        return;
    }
  }

  private isBotWideFlood(key: string, now: number): boolean {
    this.recentFloods = this.recentFloods.filter((f) => f.at > now - GLOBAL_FLOOD_WINDOW_MS);
    this.recentFloods.push({ key, at: now });
    return new Set(this.recentFloods.map((f) => f.key)).size >= GLOBAL_FLOOD_CHATS;
  }

  /**
   * The row goes back to PENDING, due after `delayMs`, and the chat's other held rows are released
   * with it: the claim query keeps them behind it, so the chat's order holds across drainers.
   */
  private async putBack(
    queue: ChatQueue,
    row: QueuedRow,
    delayMs: number,
    error: string,
    failCount: number,
  ): Promise<void> {
    const due = new Date(this.clock.now().getTime() + Math.ceil(delayMs));
    const rest = queue.rows.filter((r) => r.id !== row.id).map((r) => r.id);
    await this.write(() => this.store.retryLater(row.id, due, error, failCount));
    if (rest.length > 0) {
      await this.write(async () => {
        await this.store.release(rest);
        return true;
      });
    }
    for (const r of queue.rows) this.held.delete(r.id);
    queue.rows = [];
    this.counters.retried++;
  }

  private async giveUp(
    queue: ChatQueue,
    row: QueuedRow,
    error: string,
    failCount: number,
  ): Promise<void> {
    await this.write(() => this.store.failed(row.id, error, failCount));
    this.counters.failed++;
    this.forget(queue, row, null);
  }

  /**
   * Telegram could not parse the HTML: what is left of the row (all of it, or the parts not yet
   * delivered) becomes plain text and is sent again. Stored first, so a crash resumes in text.
   */
  private async switchToText(queue: ChatQueue, row: QueuedRow, error: string): Promise<void> {
    const fromStart = row.partsSent === 0;
    const remaining = row.parts
      .slice(row.partsSent)
      .map((p) => htmlToPlainText(p.kind === "text" ? p.text : p.caption));
    const content = fromStart
      ? { title: row.title, message: htmlToPlainText(row.message), partsSent: 0 }
      : // the title (and the photo, if any) went out with the parts already delivered
        { title: "", message: remaining.join("\n"), partsSent: 0 };
    const dropAttachment = !fromStart && row.attachment !== null;
    const stored = await this.write(() =>
      this.store.switchToText(row.id, content, dropAttachment, `${error} (sent as plain text)`),
    );
    if (!stored) {
      this.forget(queue, row, "claim lost while switching to plain text");
      return;
    }
    this.log.warn({ row: row.id, error }, "outbox: HTML refused, sending as plain text");
    row.format = "text";
    row.title = content.title;
    row.message = content.message;
    row.partsSent = 0;
    if (dropAttachment) row.attachment = null;
    row.parts = renderParts({ ...row, hasAttachment: row.attachment !== null });
  }

  /** Drops a row from memory (sent, failed or no longer ours). */
  private forget(queue: ChatQueue, row: QueuedRow, problem: string | null): void {
    if (problem) this.log.warn({ row: row.id }, `outbox: ${problem}`);
    const at = queue.rows.indexOf(row);
    if (at >= 0) queue.rows.splice(at, 1);
    this.held.delete(row.id);
  }

  /**
   * A database write after a send, tried a few times: if it still fails the row is dropped from
   * memory and, its lease running out, sent again later (at least once, never lost).
   */
  private async write(fn: () => Promise<boolean>): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (attempt >= WRITE_ATTEMPTS) {
          this.log.error({ err }, "outbox: recording a send outcome failed");
          return false;
        }
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  }

  /** Fire-and-forget writes (claim-time bookkeeping) that stop() still waits for. */
  private track(p: Promise<unknown>): void {
    const run = p.catch((err: unknown) => this.log.error({ err }, "outbox: write failed"));
    this.pendingWrites.add(run);
    void run.finally(() => {
      this.pendingWrites.delete(run);
      this.notifyIdle();
    });
  }

  // ───────────── idleness (drainOnce) ─────────────

  private whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.notifyIdle();
    });
  }

  private notifyIdle(): void {
    const idle =
      this.held.size === 0 &&
      this.inFlight.size === 0 &&
      this.pendingWrites.size === 0 &&
      !this.claiming &&
      (this.exhausted || this.stopping);
    if (!idle || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
