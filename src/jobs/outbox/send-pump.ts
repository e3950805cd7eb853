// The send scheduler of the outbox drain: sends the head of the next ready chat, round-robin,
// whenever the global window and that chat's windows allow (send-queues.ts, rate-limiter.ts),
// with at most one send in flight per chat (order) and `maxInFlight` overall. When nothing is
// ready it sleeps until the earliest window opens. The outcome of each send is recorded by
// row-delivery.ts (failure handling: failure-policy.ts).
import type { OutboxLogger, RowDelivery } from "./row-delivery.ts";
import type { ChatQueue, SendQueues } from "./send-queues.ts";

export interface SendPumpOptions {
  queues: SendQueues;
  delivery: RowDelivery;
  log: OutboxLogger;
  /** concurrent requests to Telegram */
  maxInFlight: number;
  /** the drainer is stopping: start no new send */
  stopping: () => boolean;
  /** after every pump: the drainer claims more rows if there is room and checks idleness */
  afterPump: () => void;
}

export class SendPump {
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(private readonly options: SendPumpOptions) {}

  /** sends in flight now */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** the sends in flight now, to wait for */
  sends(): Promise<void>[] {
    return [...this.inFlight];
  }

  /** Starts every send the windows allow now, and sets a wake-up for the next one. */
  pump(): void {
    const { queues, maxInFlight, stopping } = this.options;
    while (!stopping() && this.inFlight.size < maxInFlight) {
      const now = performance.now();
      const next = queues.pick(now);
      if ("queue" in next) {
        this.dispatch(next.queue, now);
        continue;
      }
      if (Number.isFinite(next.waitMs)) this.wakeIn(next.waitMs);
      break;
    }
    this.options.afterPump();
  }

  /** Pumps again in `ms` (an earlier wake-up already set wins). */
  wakeIn(ms: number): void {
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

  clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private dispatch(queue: ChatQueue, now: number): void {
    const { queues, delivery, log } = this.options;
    const settle = queues.reserve(queue, now);
    const run = delivery
      .sendHead(queue, settle)
      .catch((err: unknown) => log.error({ err, chat: queue.key }, "outbox: send failed"))
      .finally(() => {
        this.inFlight.delete(run);
        queues.finish(queue);
        this.pump();
      });
    this.inFlight.add(run);
  }
}
