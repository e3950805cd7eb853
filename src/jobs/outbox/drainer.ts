// The outbox drain: delivers notification_outbox rows to Telegram within its rate limits, in order
// per chat, retrying what can be retried and recording what cannot, so no notification is lost.
//
// How it runs. A node-cron tick (every second, `noOverlap` so ticks never overlap; on every
// instance, not only the jobs leader: claims are safe to share, see domain/notifications/outbox-store.ts) renews this
// drainer's leases and claims rows; between ticks, rows are claimed as sends free up room (at
// most every 200 ms; claim-intake.ts takes them in). Claimed rows wait in per-chat queues
// (send-queues.ts); the send pump (send-pump.ts) sends the head of the next ready chat,
// round-robin, whenever the global window and that chat's windows allow (rate-limiter.ts), with at
// most one send in flight per chat (order) and `maxInFlight` overall. The send itself goes via an
// OutboxSender (outbox-sender.ts; the bot layer's grammY implementation in production), and
// row-delivery.ts records its outcome as the failure policy (failure-policy.ts) decides: 429s
// pause the chat (or all chats), transient errors back off, bad HTML is resent as text, a
// blocked chat is marked inactive.
//
// Delivery guarantee: at least once, never lost. A row is marked SENT only after Telegram accepted
// it; a drainer killed at any moment leaves its claimed rows SENDING with a lease, and any drainer
// takes them over when the lease runs out. The one duplicate window: Telegram accepted a message
// and the process died before the SENT (or partsSent) update committed; that message is sent again.
// partsSent narrows it to the one part in flight, and the window is one request per chat at a time,
// so a crash repeats at most one message per chat that had a send in flight. Enqueue-side
// duplicates are prevented by the dedupe key (src/domain/notifications/notification-service.ts).
import { randomBytes } from "node:crypto";
import os from "node:os";
import { ChatService } from "../../domain/notifications/chat-service.ts";
import { type Clock, systemClock } from "../../lib/clock.ts";
import { withCorrelationId } from "../../lib/correlation.ts";
import { type Metrics, noMetrics } from "../../lib/metrics.ts";
import { type ScheduledTask, fixedIntervalTask } from "../cron-task.ts";
import { ClaimIntake } from "./claim-intake.ts";
import type { OutboxDrainerOptions } from "./drainer-options.ts";
import { OutboxStore } from "../../domain/notifications/outbox-store.ts";
import { TELEGRAM_LIMITS } from "./rate-limiter.ts";
import { type DrainStats, type OutboxLogger, RowDelivery } from "./row-delivery.ts";
import { SendPump } from "./send-pump.ts";
import { SendQueues } from "./send-queues.ts";

export type { OutboxDrainerOptions } from "./drainer-options.ts";

const CLAIM_INTERVAL_MS = 200;

export class OutboxDrainer {
  readonly workerId: string;
  private readonly store: OutboxStore;
  private readonly log: OutboxLogger;
  private readonly metrics: Metrics;
  private readonly clock: Clock;
  private readonly batchSize: number;
  private readonly perChatClaim: number;
  private readonly leaseMs: number;
  private readonly pollPattern: string;
  private readonly queues: SendQueues;
  private readonly delivery: RowDelivery;
  private readonly intake: ClaimIntake;
  private readonly sends: SendPump;

  private claiming: Promise<void> | null = null;
  /** the last claim found nothing and nothing is held: wait for the tick before asking again */
  private exhausted = false;
  private lastClaimAt = Number.NEGATIVE_INFINITY;
  private cron: ScheduledTask | null = null;
  private tickRuns = 0;
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
    this.log = options.logger;
    this.metrics = options.metrics ?? noMetrics;
    this.batchSize = options.batchSize ?? 500;
    this.perChatClaim = options.perChatClaim ?? 10;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollPattern = options.pollPattern ?? "* * * * * *";
    this.queues = new SendQueues(options.limits ?? TELEGRAM_LIMITS);
    this.delivery = new RowDelivery({
      sender: options.sender,
      store: this.store,
      chats: new ChatService({
        db: options.db.prisma,
        provider: options.db.provider,
        clock: this.clock,
      }),
      queues: this.queues,
      clock: this.clock,
      log: this.log,
      metrics: this.metrics,
      policy: {
        maxAttempts: options.maxAttempts ?? 8,
        ...(options.backoff ? { backoff: options.backoff } : {}),
      },
      counters: this.counters,
      onWritten: () => this.notifyIdle(),
    });
    this.intake = new ClaimIntake({
      store: this.store,
      queues: this.queues,
      delivery: this.delivery,
      clock: this.clock,
      log: this.log,
    });
    this.sends = new SendPump({
      queues: this.queues,
      delivery: this.delivery,
      log: this.log,
      maxInFlight: options.maxInFlight ?? 32,
      stopping: () => this.stopping,
      afterPump: () => {
        this.refill();
        this.notifyIdle();
      },
    });
  }

  /** Totals since this drainer was created. */
  stats(): DrainStats {
    return { ...this.counters };
  }

  /** Poll ticks run since this drainer was created (the first one is start's own). */
  get ticks(): number {
    return this.tickRuns;
  }

  /** Starts the poll tick; rows claimed by an earlier run with the same worker id are given back. */
  async start(): Promise<void> {
    if (this.cron) return;
    this.stopping = false;
    const released = await this.store.releaseAll();
    if (released > 0) this.log.info({ released }, "outbox: released rows of a previous run");
    let seq = 0;
    this.cron = fixedIntervalTask(
      `outbox-drain:${this.workerId}`,
      this.pollPattern,
      () => withCorrelationId(`outbox-${++seq}`, () => this.tick()),
      this.log,
    );
    await this.cron.start();
    await this.tick();
  }

  /**
   * Stops claiming and sending, lets the sends in flight finish and record their outcome, then
   * gives every row still held back to the queue (PENDING), so another drainer or the next start
   * sends them without waiting for a lease.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    // destroy, not only stop: node-cron keeps every task in a process-wide registry until then
    await this.cron?.destroy();
    this.cron = null;
    this.sends.clearTimer();
    const writes = this.delivery.pendingWrites;
    while (this.sends.inFlightCount > 0 || this.claiming || writes.size > 0) {
      await Promise.allSettled([...this.sends.sends(), ...writes, this.claiming]);
    }
    await this.store.release(this.queues.clear());
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

  // ───────────── tick and claims (the sends: send-pump.ts) ─────────────

  private async tick(): Promise<void> {
    if (this.stopping) return;
    this.tickRuns++;
    this.exhausted = false;
    try {
      if (this.queues.heldCount > 0)
        await this.store.renew(this.queues.heldIds(), this.clock.now(), this.leaseMs);
    } catch (err) {
      this.log.error({ err }, "outbox: renewing leases failed");
    }
    this.queues.prune(performance.now());
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
    const held = this.queues.heldCount;
    const room = this.batchSize - held;
    if (room <= 0) return;
    const sinceLast = performance.now() - this.lastClaimAt;
    if (held > 0 && sinceLast < CLAIM_INTERVAL_MS) {
      this.sends.wakeIn(CLAIM_INTERVAL_MS - sinceLast);
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
        if (rows.length === 0 && this.queues.heldCount === 0) this.exhausted = true;
        await this.intake.take(rows);
        if (rows.length > 0) this.log.debug({ claimed: rows.length }, "outbox: claimed");
      } catch (err) {
        this.exhausted = true;
        this.log.error({ err }, "outbox: claiming failed");
      } finally {
        this.claiming = null;
      }
      this.sends.pump();
    })();
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
      this.queues.heldCount === 0 &&
      this.sends.inFlightCount === 0 &&
      this.delivery.pendingWrites.size === 0 &&
      !this.claiming &&
      (this.exhausted || this.stopping);
    if (!idle || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
