// Telegram's flood limits as sliding windows over the exact timestamps of accepted sends:
// per chat (perChatPerSecond, with an optional burst), over all chats (globalPerSecond) and per
// group (groupPerMinute). A send that would exceed any window is refused with the time until
// the oldest send in that window leaves it, rounded up to whole seconds as Telegram reports it.
import type { RateLimits } from "./types.ts";

interface ResolvedLimits {
  perChatCapacity: number;
  perChatWindowMs: number;
  globalCapacity: number;
  groupCapacity: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export class SendRateLimiter {
  private limits: ResolvedLimits | null = null;
  /** Every accepted send, ascending, for all chats and per chat. */
  private readonly all: number[] = [];
  private readonly perChat = new Map<number, number[]>();
  accepted = 0;
  rejected = 0;

  configure(limits: RateLimits | null): void {
    if (limits === null) {
      this.limits = null;
      return;
    }
    const scale = limits.scale ?? 1;
    const perChat = (limits.perChatPerSecond ?? 1) * scale;
    const burst = Math.max(1, Math.floor(limits.burst ?? 1));
    if (!(scale > 0) || !(perChat > 0)) throw new Error("rate limits must be positive");
    this.limits = {
      perChatCapacity: burst,
      perChatWindowMs: (burst / perChat) * SECOND,
      globalCapacity: Math.max(1, Math.floor((limits.globalPerSecond ?? 30) * scale)),
      groupCapacity: Math.max(1, Math.floor((limits.groupPerMinute ?? 20) * scale)),
    };
  }

  get enabled(): boolean {
    return this.limits !== null;
  }

  /**
   * Seconds to wait if a send to `chatId` at `now` must be refused (and counts the refusal);
   * undefined when it may go ahead. Call `record` once the send succeeded.
   */
  check(chatId: number, isGroup: boolean, now: number): number | undefined {
    const limits = this.limits;
    if (!limits) return undefined;
    const chatTimes = this.perChat.get(chatId) ?? [];
    let waitMs = 0;
    waitMs = Math.max(
      waitMs,
      windowWait(chatTimes, now, limits.perChatWindowMs, limits.perChatCapacity),
    );
    waitMs = Math.max(waitMs, windowWait(this.all, now, SECOND, limits.globalCapacity));
    if (isGroup)
      waitMs = Math.max(waitMs, windowWait(chatTimes, now, MINUTE, limits.groupCapacity));
    if (waitMs <= 0) return undefined;
    this.rejected++;
    return Math.max(1, Math.ceil(waitMs / SECOND));
  }

  record(chatId: number, now: number): void {
    this.accepted++;
    insertSorted(this.all, now);
    let times = this.perChat.get(chatId);
    if (!times) {
      times = [];
      this.perChat.set(chatId, times);
    }
    insertSorted(times, now);
  }

  timestamps(chatId: number): readonly number[] {
    return [...(this.perChat.get(chatId) ?? [])];
  }
}

/**
 * With `capacity` sends allowed in any window of `windowMs`, how long until one more fits: the
 * oldest of the last `capacity` sends must have left the window (t > now - windowMs).
 */
function windowWait(times: number[], now: number, windowMs: number, capacity: number): number {
  const inWindow = times.length - firstAfter(times, now - windowMs);
  if (inWindow < capacity) return 0;
  const blocking = times[times.length - capacity] ?? now;
  return blocking + windowMs - now;
}

/** Index of the first element strictly greater than `value` (binary search). */
function firstAfter(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(sorted: number[], value: number): void {
  if (sorted.length === 0 || (sorted.at(-1) ?? 0) <= value) sorted.push(value);
  else sorted.splice(firstAfter(sorted, value), 0, value);
}
