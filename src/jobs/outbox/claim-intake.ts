// Freshly claimed rows into the drainer's memory. Each row is rendered into its Telegram parts
// (message-parts.ts) and queued behind its chat's lower ids; one that cannot go out (its chat is
// blocked, it cannot be rendered, or every part went out before a crash) is settled at once.
// Chats taken over from another drainer (or from this one before a restart) bring their recent
// deliveries along, so their rate windows start where they really are.
import type { Clock } from "../../lib/clock.ts";
import { type MessagePart, renderParts } from "./message-parts.ts";
import type {
  ClaimedRow,
  OutboxStore,
  RecentSend,
} from "../../domain/notifications/outbox-store.ts";
import type { OutboxLogger, RowDelivery } from "./row-delivery.ts";
import type { SendQueues } from "./send-queues.ts";

export interface ClaimIntakeDeps {
  store: OutboxStore;
  queues: SendQueues;
  delivery: RowDelivery;
  clock: Clock;
  log: OutboxLogger;
}

export class ClaimIntake {
  constructor(private readonly deps: ClaimIntakeDeps) {}

  async take(rows: ClaimedRow[]): Promise<void> {
    const history = await this.historyOfTakenOverChats(rows);
    for (const row of rows) this.accept(row);
    this.deps.queues.seed(history, this.deps.clock.now().getTime());
  }

  /**
   * Deliveries this drainer has not counted yet to the chats it is taking over (chats it holds no
   * rows of right now: only those can have been served by another drainer meanwhile, or by this
   * one before a restart). Private chats need their per-chat window back, groups their minute.
   */
  private async historyOfTakenOverChats(rows: ClaimedRow[]): Promise<RecentSend[]> {
    const { queues, store } = this.deps;
    const privates = new Set<string>();
    const groups = new Set<string>();
    for (const r of rows) {
      if (queues.hasChat(r.telegramChatId)) continue;
      (r.chatType === "PRIVATE" ? privates : groups).add(r.telegramChatId);
    }
    if (privates.size === 0 && groups.size === 0) return [];
    const now = this.deps.clock.now().getTime();
    try {
      const found = [
        ...(privates.size > 0
          ? await store.recentSends([...privates], queues.historySince("PRIVATE", now))
          : []),
        ...(groups.size > 0
          ? await store.recentSends([...groups], queues.historySince("GROUP", now))
          : []),
      ];
      return queues.uncounted(found);
    } catch (err) {
      this.deps.log.warn({ err }, "outbox: reading recent deliveries failed");
      return [];
    }
  }

  private accept(row: ClaimedRow): void {
    const { queues, delivery } = this.deps;
    if (queues.holds(row.id)) return;
    if (!row.chatActive) {
      delivery.refuse(row, "chat blocked");
      return;
    }
    let parts: MessagePart[];
    try {
      parts = renderParts({ ...row, hasAttachment: row.attachment !== null });
    } catch (err) {
      delivery.refuse(row, `cannot render: ${String(err)}`);
      return;
    }
    if (row.partsSent >= parts.length) {
      delivery.alreadySent(row);
      return;
    }
    queues.add({ ...row, parts });
  }
}
