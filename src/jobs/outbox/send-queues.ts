// The drainer's rows in memory: one queue per Telegram chat, in row order, and the rate state the
// next send must respect — the global window, each chat's windows (rate-limiter.ts) and the
// pauses a 429 or a backoff put on one chat or on all. `pick` serves the ready chats round-robin
// from where the last pick stopped, so a chat with a long backlog cannot starve the others.
// Times are performance.now() (monotonic); the database's wall-clock times are mapped onto it.
import type { MessagePart } from "./message-parts.ts";
import type { ClaimedRow, RecentSend } from "../../domain/notifications/outbox-store.ts";
import {
  type ChatKind,
  MultiWindow,
  type OutboxLimits,
  SlidingWindow,
  chatWindows,
} from "./rate-limiter.ts";

export interface QueuedRow extends ClaimedRow {
  parts: MessagePart[];
}

export interface ChatQueue {
  key: string;
  rows: QueuedRow[];
  /** a send to this chat is in flight (one at a time keeps the chat's order) */
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

export class SendQueues {
  private readonly global: SlidingWindow;
  private globalPausedUntil = 0;
  private readonly queues = new Map<string, ChatQueue>();
  private ring: string[] = [];
  private cursor = 0;
  private readonly limiters = new Map<string, ChatLimiter>();
  /** ids of the rows held (in some queue) */
  private readonly held = new Set<number>();
  /** rows whose delivery the rate windows already count (sent here, or seeded), with when */
  private readonly counted = new Map<number, number>();

  constructor(private readonly limits: OutboxLimits) {
    this.global = new SlidingWindow(
      { limit: limits.globalPerSecond, windowMs: 1000 },
      this.marginMs,
    );
  }

  get marginMs(): number {
    return this.limits.marginMs ?? 10;
  }

  get heldCount(): number {
    return this.held.size;
  }

  heldIds(): number[] {
    return [...this.held];
  }

  holds(rowId: number): boolean {
    return this.held.has(rowId);
  }

  hasChat(key: string): boolean {
    return this.queues.has(key);
  }

  /** Queues a claimed row behind the chat's lower ids. */
  add(row: QueuedRow): void {
    const key = row.telegramChatId;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { key, rows: [], busy: false, limiter: this.limiterFor(key, row.chatType) };
      this.queues.set(key, queue);
      this.ring.push(key);
    }
    const at = queue.rows.findIndex((r) => r.id > row.id);
    if (at < 0) queue.rows.push(row);
    else queue.rows.splice(at, 0, row);
    this.held.add(row.id);
  }

  /** Drops a row from memory (sent, failed or no longer ours). */
  remove(queue: ChatQueue, row: QueuedRow): void {
    const at = queue.rows.indexOf(row);
    if (at >= 0) queue.rows.splice(at, 1);
    this.held.delete(row.id);
  }

  /** Stops holding these rows (their outcome is recorded elsewhere). */
  release(ids: readonly number[]): void {
    for (const id of ids) this.held.delete(id);
  }

  /** Empties every queue; returns the ids that were held. */
  clear(): number[] {
    const ids = [...this.held];
    this.held.clear();
    this.queues.clear();
    this.ring = [];
    return ids;
  }

  /** The next chat to serve, round-robin from where the last pick stopped, or how long to wait. */
  pick(now: number): { queue: ChatQueue } | { waitMs: number } {
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

  /**
   * A send to the chat is dispatched: it holds its slots from now. The windows log it when its
   * answer arrives (see rate-limiter.ts): call the returned settle then.
   */
  reserve(queue: ChatQueue, now: number): () => void {
    queue.busy = true;
    this.global.reserve();
    queue.limiter.window.reserve();
    queue.limiter.lastUsed = now;
    return () => {
      const at = performance.now();
      this.global.settle(at);
      queue.limiter.window.settle(at);
      queue.limiter.lastUsed = at;
    };
  }

  /** The send is over (its outcome recorded): the chat may be served again, or leave the ring. */
  finish(queue: ChatQueue): void {
    queue.busy = false;
    if (queue.rows.length > 0 || queue.busy) return;
    this.queues.delete(queue.key);
    const at = this.ring.indexOf(queue.key);
    if (at >= 0) {
      this.ring.splice(at, 1);
      if (this.cursor > at) this.cursor--;
      if (this.cursor >= this.ring.length) this.cursor = 0;
    }
  }

  /** The chat sends nothing before `until`; with `all`, no chat does. */
  pause(queue: ChatQueue, until: number, all: boolean): void {
    queue.limiter.pausedUntil = Math.max(queue.limiter.pausedUntil, until);
    if (all) this.globalPausedUntil = Math.max(this.globalPausedUntil, until);
  }

  /** A row was delivered at `at`: the windows have counted it (taken-over history skips it). */
  countDelivered(rowId: number, at: number): void {
    this.counted.set(rowId, at);
  }

  /** How far back a taken-over chat's deliveries still weigh on its windows (wall clock). */
  historySince(kind: "PRIVATE" | "GROUP", wallNow: number): Date {
    const windowMs = kind === "PRIVATE" ? chatWindows(this.limits, "PRIVATE")[0]!.windowMs : 60_000;
    return new Date(wallNow - windowMs - this.marginMs);
  }

  /** Those of the deliveries the windows have not counted yet. */
  uncounted(sends: RecentSend[]): RecentSend[] {
    return sends.filter((send) => !this.counted.has(send.id));
  }

  /**
   * Counts deliveries in the chats' windows, mapped from wall-clock time (sentAt, written after
   * Telegram's answer: never earlier than Telegram counted it) onto the monotonic clock.
   */
  seed(history: RecentSend[], wallNow: number): void {
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

  /** Forgets the rate state of chats idle for longer than any window. */
  prune(now: number): void {
    for (const [id, at] of this.counted) if (now - at > LIMITER_IDLE_MS) this.counted.delete(id);
    for (const [key, limiter] of this.limiters) {
      const idle = now - limiter.lastUsed > LIMITER_IDLE_MS && limiter.pausedUntil < now;
      if (idle && !this.queues.has(key)) this.limiters.delete(key);
    }
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
}
