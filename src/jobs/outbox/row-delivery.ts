// One send and its outcome: the head part of a chat's queue goes out through the OutboxSender,
// and what happened is recorded — the part or the row delivered, or the failure policy's
// decision (failure-policy.ts) carried out — the row put back for later with its chat paused,
// given up, resent as plain text, or its chat marked blocked. Every write is conditional on the
// drainer's claim (domain/notifications/outbox-store.ts); one that keeps failing drops the row from memory and, its
// lease running out, the row is sent again later: at least once, never lost.
import type { ChatService } from "../../domain/notifications/chat-service.ts";
import type { Clock } from "../../lib/clock.ts";
import type { Metrics } from "../../lib/metrics.ts";
import { htmlToPlainText } from "../../lib/html.ts";
import type { Logger } from "../../logger.ts";
import { BotWideFloods, type FailurePolicyOptions, decideFailure } from "./failure-policy.ts";
import { renderParts } from "./message-parts.ts";
import type { OutboxSender, SendFailure } from "./outbox-sender.ts";
import type { OutboxStore } from "../../domain/notifications/outbox-store.ts";
import type { ChatQueue, QueuedRow, SendQueues } from "./send-queues.ts";

export type OutboxLogger = Pick<Logger, "debug" | "info" | "warn" | "error">;

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

export interface RowDeliveryDeps {
  sender: OutboxSender;
  store: OutboxStore;
  chats: ChatService;
  queues: SendQueues;
  clock: Clock;
  log: OutboxLogger;
  metrics: Metrics;
  policy: FailurePolicyOptions;
  /** the drainer's totals: counted here */
  counters: DrainStats;
  /** a fire-and-forget write finished (the drainer may have become idle) */
  onWritten: () => void;
}

const WRITE_ATTEMPTS = 3;

export class RowDelivery {
  private readonly floods = new BotWideFloods();
  /** fire-and-forget writes still running (stop() and idleness wait for them) */
  readonly pendingWrites = new Set<Promise<unknown>>();

  constructor(private readonly deps: RowDeliveryDeps) {}

  /**
   * Sends the next part of the chat's first row and records the outcome. `settle` tells the rate
   * windows when Telegram answered (send-queues.ts).
   */
  async sendHead(queue: ChatQueue, settle: () => void): Promise<void> {
    const { metrics } = this.deps;
    const row = queue.rows[0];
    if (!row) {
      settle();
      return;
    }
    const part = row.parts[row.partsSent]!;
    const last = row.partsSent === row.parts.length - 1;
    const started = performance.now();
    let failure: SendFailure | null;
    try {
      failure = await this.deps.sender.send({
        telegramChatId: row.telegramChatId,
        chatType: row.chatType,
        ownerTelegramId: row.ownerTelegramId,
        part,
        // the row's buttons go under its last part
        replyMarkup: last ? row.replyMarkup : null,
        attachment: row.attachment,
        attachmentName: row.attachmentName,
      });
    } catch (err) {
      // a sender should answer every failure; one that throws is retried like any surprise
      failure = { kind: "transient", description: `unexpected: ${messageOf(err)}` };
    }
    settle();
    if (failure) {
      // floods, transient errors and bad markup (resent as plain text) are tried again
      const retried = failure.kind !== "permanent" && failure.kind !== "blocked";
      metrics.outboxSend(performance.now() - started, retried ? "retry" : "failed");
      metrics.error("outbox", failure.kind);
      await this.failed(queue, row, failure);
      return;
    }
    metrics.outboxSend(performance.now() - started, "ok");
    this.deps.counters.messages++;
    await this.delivered(queue, row);
  }

  /** Telegram accepted the row's next part: the row is done, or its progress is stored. */
  private async delivered(queue: ChatQueue, row: QueuedRow): Promise<void> {
    const { store, clock, counters, queues } = this.deps;
    row.partsSent++;
    if (row.partsSent < row.parts.length) {
      if (!(await this.write(() => store.partSent(row.id, row.partsSent)))) {
        this.forget(queue, row, "claim lost after a part was sent");
      }
      return;
    }
    const recorded = await this.write(() => store.sent(row.id, row.partsSent, clock.now()));
    this.forget(queue, row, recorded ? null : "claim lost before the row was marked sent");
    if (recorded) {
      counters.sent++;
      queues.countDelivered(row.id, performance.now());
    }
  }

  /** A claimed row that will not be sent (blocked chat, unrenderable): FAILED at once. */
  refuse(row: { id: number; failCount: number }, error: string): void {
    this.track(this.deps.store.failed(row.id, error, row.failCount));
    this.deps.counters.failed++;
  }

  /** A claimed row whose parts all went out before a crash: only the SENT mark was missing. */
  alreadySent(row: { id: number; partsSent: number }): void {
    this.track(this.deps.store.sent(row.id, row.partsSent, this.deps.clock.now()));
    this.deps.counters.sent++;
  }

  /** A send failed: the failure policy decides, this carries it out. */
  private async failed(queue: ChatQueue, row: QueuedRow, failure: SendFailure): Promise<void> {
    const { log, counters, queues } = this.deps;
    const now = performance.now();
    if (failure.kind === "flood") {
      counters.floods++;
      log.warn(
        { chat: queue.key, retryAfterMs: failure.retryAfterMs, global: failure.global },
        "outbox: 429 from Telegram",
      );
    }
    // a 429 Telegram calls global pauses everyone anyway: only the others are counted
    const botWide =
      failure.kind === "flood" && !failure.global && this.floods.record(queue.key, now);
    const decision = decideFailure(failure, row, this.deps.policy, botWide);
    switch (decision.kind) {
      case "retry":
        queues.pause(queue, now + decision.delayMs, decision.pauseAll);
        await this.putBack(queue, row, decision.delayMs, decision.error, decision.failCount);
        return;
      case "give-up":
        if (failure.kind === "transient")
          log.warn({ row: row.id, error: failure.description }, "outbox: giving up");
        await this.write(() => this.deps.store.failed(row.id, decision.error, decision.failCount));
        counters.failed++;
        this.forget(queue, row, null);
        return;
      case "switch-to-text":
        await this.switchToText(queue, row, decision.error);
        return;
      case "chat-blocked": {
        log.info({ chat: queue.key, error: decision.error }, "outbox: chat blocked the bot");
        const ids = queue.rows.map((r) => r.id);
        try {
          await this.deps.chats.markInactive(queue.key, decision.error);
        } catch (err) {
          log.error({ err, chat: queue.key }, "outbox: marking the chat inactive failed");
        }
        // markInactive failed every undelivered row of the chat, the held ones included
        queues.release(ids);
        counters.failed += ids.length;
        queue.rows = [];
        return;
      }
    }
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
    const { store, clock, queues } = this.deps;
    const due = new Date(clock.now().getTime() + Math.ceil(delayMs));
    const rest = queue.rows.filter((r) => r.id !== row.id).map((r) => r.id);
    await this.write(() => store.retryLater(row.id, due, error, failCount));
    if (rest.length > 0) {
      await this.write(async () => {
        await store.release(rest);
        return true;
      });
    }
    queues.release(queue.rows.map((r) => r.id));
    queue.rows = [];
    this.deps.counters.retried++;
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
      this.deps.store.switchToText(
        row.id,
        content,
        dropAttachment,
        `${error} (sent as plain text)`,
      ),
    );
    if (!stored) {
      this.forget(queue, row, "claim lost while switching to plain text");
      return;
    }
    this.deps.log.warn({ row: row.id, error }, "outbox: HTML refused, sending as plain text");
    row.format = "text";
    row.title = content.title;
    row.message = content.message;
    row.partsSent = 0;
    if (dropAttachment) row.attachment = null;
    row.parts = renderParts({ ...row, hasAttachment: row.attachment !== null });
  }

  /** Drops a row from memory (sent, failed or no longer ours). */
  private forget(queue: ChatQueue, row: QueuedRow, problem: string | null): void {
    if (problem) this.deps.log.warn({ row: row.id }, `outbox: ${problem}`);
    this.deps.queues.remove(queue, row);
  }

  /** A database write after a send, tried a few times; false when it still failed. */
  private async write(fn: () => Promise<boolean>): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (attempt >= WRITE_ATTEMPTS) {
          this.deps.log.error({ err }, "outbox: recording a send outcome failed");
          return false;
        }
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  }

  /** Fire-and-forget writes (claim-time bookkeeping) that stop() still waits for. */
  private track(p: Promise<unknown>): void {
    const run = p.catch((err: unknown) => this.deps.log.error({ err }, "outbox: write failed"));
    this.pendingWrites.add(run);
    void run.finally(() => {
      this.pendingWrites.delete(run);
      this.deps.onWritten();
    });
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
