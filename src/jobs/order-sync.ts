// The order-sync job: for every active account with open orders (in the domain or on the paper
// venue's book) it runs the account's sync cycle — paper matcher, submission of orders that never
// reached the broker, fill ingestion since the stored cursor, broker-reported cancels, expiries
// and rejections (AccountSynchronizer). Accounts are independent: one account's failure is
// logged and reported, and the others still run.
//
// Scheduling: node-cron every two seconds, never overlapping itself (JobScheduler, noOverlap):
//   jobs.add({ name: "order-sync", pattern: ORDER_SYNC_CRON, run: () => orderSync.runOnce() })
// A second call while a run is in progress gets that run's result rather than starting another.
// Several processes may run it at once: fill ingestion is idempotent, paper matching takes the
// account's row lock, and status transitions check the current state.
import { randomUUID } from "node:crypto";
import { currentCorrelationId, withCorrelationId } from "../lib/correlation.ts";
import {
  type AccountSynchronizer,
  SILENT_LOGGER,
  type SyncLogger,
} from "../domain/trading/account-sync.ts";

/** Every two seconds (node-cron's six-field form: seconds first). */
export const ORDER_SYNC_CRON = "*/2 * * * * *";

export interface OrderSyncSummary {
  accounts: number;
  fillsIngested: number;
  duplicates: number;
  unmatched: number;
  /** orders placed outside TradeDesk (on a live exchange) recorded during this run */
  external: number;
  /** fills the paper venue's matcher wrote during this run */
  venueFills: number;
  submitted: number;
  statusChanges: number;
  /** accounts whose sync failed entirely or in a stage */
  errors: { accountId: number; message: string }[];
  durationMs: number;
}

export interface OrderSyncDeps {
  sync: AccountSynchronizer;
  logger?: SyncLogger;
  /**
   * whether accounts of this broker can be synced here (GatewayRegistry.supports); accounts of a
   * live broker without an adapter are skipped instead of failing every run
   */
  canSync?: (brokerCode: string, isPaper: boolean) => boolean;
  /**
   * live accounts with stored keys and no open order here are synced this often too (and on the
   * first run), so fills and orders placed on the exchange outside TradeDesk are caught up
   */
  idleLiveEveryMs?: number;
  now?: () => number;
}

export const DEFAULT_IDLE_LIVE_EVERY_MS = 60_000;

export class OrderSync {
  private inFlight: Promise<OrderSyncSummary> | null = null;
  private readonly logger: SyncLogger;
  /** when each idle live account was last synced (ms) */
  private readonly idleSyncedAt = new Map<number, number>();

  constructor(private readonly deps: OrderSyncDeps) {
    this.logger = deps.logger ?? SILENT_LOGGER;
  }

  runOnce(): Promise<OrderSyncSummary> {
    if (this.inFlight) return this.inFlight;
    // the scheduler gives each run a correlation id; a direct call gets its own
    const run = currentCorrelationId()
      ? this.run()
      : withCorrelationId(`order-sync-${randomUUID().slice(0, 8)}`, () => this.run());
    const tracked = run.finally(() => {
      if (this.inFlight === tracked) this.inFlight = null;
    });
    this.inFlight = tracked;
    return tracked;
  }

  /**
   * Active accounts with an open order in the domain or on the paper venue's book, and live
   * accounts with stored keys whose idle interval has passed.
   */
  async accountsToSync(): Promise<number[]> {
    const candidates = await this.deps.sync.candidates();
    const canSync = this.deps.canSync ?? (() => true);
    const now = (this.deps.now ?? Date.now)();
    const every = this.deps.idleLiveEveryMs ?? DEFAULT_IDLE_LIVE_EVERY_MS;
    const out: number[] = [];
    for (const c of candidates) {
      if (!canSync(c.brokerCode, c.isPaper)) continue;
      const busy = c.isPaper || c.hasOpenOrder;
      if (!busy) {
        const last = this.idleSyncedAt.get(c.accountId);
        if (last !== undefined && now - last < every) continue;
        this.idleSyncedAt.set(c.accountId, now);
      }
      out.push(c.accountId);
    }
    return out;
  }

  private async run(): Promise<OrderSyncSummary> {
    const started = Date.now();
    const summary: OrderSyncSummary = {
      accounts: 0,
      fillsIngested: 0,
      duplicates: 0,
      unmatched: 0,
      external: 0,
      venueFills: 0,
      submitted: 0,
      statusChanges: 0,
      errors: [],
      durationMs: 0,
    };
    for (const accountId of await this.accountsToSync()) {
      summary.accounts++;
      try {
        const r = await this.deps.sync.syncAccount(accountId);
        summary.fillsIngested += r.ingested;
        summary.duplicates += r.duplicates;
        summary.unmatched += r.unmatched;
        summary.external += r.external ?? 0;
        summary.venueFills += r.venueFills;
        summary.submitted += r.submitted;
        summary.statusChanges += r.statusChanges;
        for (const message of r.errors) summary.errors.push({ accountId, message });
      } catch (e) {
        const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        summary.errors.push({ accountId, message });
        this.logger.error({ accountId, err: e }, "order sync failed for account");
      }
    }
    summary.durationMs = Date.now() - started;
    if (
      summary.fillsIngested ||
      summary.external ||
      summary.statusChanges ||
      summary.submitted ||
      summary.errors.length
    )
      this.logger.info({ ...summary }, "order sync run");
    return summary;
  }
}
