// Exact send-rate accounting for the outbox: sliding windows ("at most N sends in any W ms"), one
// global and one or two per chat.
//
// A sliding window log is exact: it remembers the time of each of the last N sends and allows the
// next one when the oldest of them has left the window. It never allows more than N in any window
// (so it satisfies Telegram's and the twin's counting whichever window they look at) and never
// holds a send back that the limit would allow, which is how the drainer gets close to the limit
// without 429s.
//
// Which time is "the time of a send"? The server counts a request when it arrives, somewhere
// between our dispatch and its answer; under a burst, queueing makes that spread large (measured:
// windows kept by dispatch time still drew 429s). So a send occupies its slot from dispatch
// (reserve) and is logged at the moment its answer came back (settle), the latest it can have been
// counted: the next send that this window allows arrives after the old one left the server's
// window too. The cost is the answer latency, once per window. A small margin is added on top.
//
// Libraries considered (npm): bottleneck 2.19.5 (unmaintained since 2019; its reservoir refills
// on a fixed interval); p-queue 10 (interval + intervalCap count per fixed interval, so a burst at
// the end of one interval and another at the start of the next put 2N sends within one window);
// limiter 4 (a single token bucket). None keys limits per chat or schedules fairly across keys,
// which is most of the work here, so this is a compact limiter of our own with its own tests.

export interface WindowLimit {
  /** sends allowed in any window */
  limit: number;
  windowMs: number;
}

export class SlidingWindow {
  /** answer times of settled sends still inside the window, ascending */
  private readonly settled: number[] = [];
  private inFlight = 0;

  constructor(
    readonly spec: WindowLimit,
    private readonly marginMs = 0,
  ) {
    if (!(spec.limit >= 1) || !(spec.windowMs > 0)) throw new RangeError("bad window limit");
  }

  /**
   * How long from `now` until one more send is allowed: 0 when allowed now, Infinity when the
   * window is full of sends still in flight (it frees up when one of them settles).
   */
  waitMs(now: number): number {
    this.prune(now);
    const used = this.settled.length + this.inFlight;
    if (used < this.spec.limit) return 0;
    if (this.inFlight >= this.spec.limit) return Number.POSITIVE_INFINITY;
    // the oldest settled sends that must leave the window before one more fits
    const mustLeave = this.settled[used - this.spec.limit]!;
    return Math.max(0, mustLeave + this.spec.windowMs + this.marginMs - now);
  }

  /** A send is dispatched: it holds a slot until settled. */
  reserve(): void {
    this.inFlight++;
  }

  /** The send dispatched earlier got its answer at `at`. */
  settle(at: number): void {
    if (this.inFlight > 0) this.inFlight--;
    let i = this.settled.length;
    while (i > 0 && this.settled[i - 1]! > at) i--;
    this.settled.splice(i, 0, at);
  }

  /** A send that was dispatched and answered at the same instant (tests, simple uses). */
  record(at: number): void {
    this.reserve();
    this.settle(at);
  }

  private prune(now: number): void {
    const horizon = now - this.spec.windowMs - this.marginMs;
    let drop = 0;
    while (drop < this.settled.length && this.settled[drop]! <= horizon) drop++;
    if (drop > 0) this.settled.splice(0, drop);
  }
}

/** A set of windows that must all allow a send (e.g. a group: 1 per second and 20 per minute). */
export class MultiWindow {
  private readonly windows: SlidingWindow[];
  constructor(specs: readonly WindowLimit[], marginMs = 0) {
    this.windows = specs.map((s) => new SlidingWindow(s, marginMs));
  }
  waitMs(now: number): number {
    let wait = 0;
    for (const w of this.windows) wait = Math.max(wait, w.waitMs(now));
    return wait;
  }
  reserve(): void {
    for (const w of this.windows) w.reserve();
  }
  settle(at: number): void {
    for (const w of this.windows) w.settle(at);
  }
  record(at: number): void {
    for (const w of this.windows) w.record(at);
  }
}

export interface OutboxLimits {
  /** sends per second for the whole bot (Telegram: about 30) */
  globalPerSecond: number;
  /** sends per second to any one chat (Telegram: about 1) */
  perChatPerSecond: number;
  /**
   * short bursts per chat: up to this many sends within perChatBurst / perChatPerSecond seconds
   * (default 1: sends to one chat at least 1 / perChatPerSecond apart, as Telegram advises)
   */
  perChatBurst?: number;
  /** sends per minute to one group, supergroup or channel (Telegram: 20) */
  groupPerMinute: number;
  /** added to every window, for clock granularity (default 10 ms; windows count from answers) */
  marginMs?: number;
}

export const TELEGRAM_LIMITS: OutboxLimits = {
  globalPerSecond: 30,
  perChatPerSecond: 1,
  groupPerMinute: 20,
};

/** The limits multiplied by `factor` (tests and benchmarks run faster, with the same shape). */
export function scaleLimits(limits: OutboxLimits, factor: number): OutboxLimits {
  return {
    ...limits,
    globalPerSecond: limits.globalPerSecond * factor,
    perChatPerSecond: limits.perChatPerSecond * factor,
    groupPerMinute: limits.groupPerMinute * factor,
  };
}

export type ChatKind = "PRIVATE" | "GROUP" | "SUPERGROUP" | "CHANNEL";

/** Every chat: perChatPerSecond (with its burst); groups and channels also groupPerMinute. */
export function chatWindows(limits: OutboxLimits, kind: ChatKind): WindowLimit[] {
  const burst = Math.max(1, Math.floor(limits.perChatBurst ?? 1));
  const windows: WindowLimit[] = [
    { limit: burst, windowMs: (burst * 1000) / limits.perChatPerSecond },
  ];
  if (kind !== "PRIVATE") windows.push({ limit: limits.groupPerMinute, windowMs: 60_000 });
  return windows;
}

/** The highest steady rate (messages/s) the limits allow across `chats`. */
export function allowedRate(limits: OutboxLimits, chats: readonly ChatKind[]): number {
  const perChat = chats.reduce(
    (sum, kind) =>
      sum +
      (kind === "PRIVATE"
        ? limits.perChatPerSecond
        : Math.min(limits.perChatPerSecond, limits.groupPerMinute / 60)),
    0,
  );
  return Math.min(limits.globalPerSecond, perChat);
}
