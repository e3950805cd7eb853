// Brings one account's orders and trades in line with its broker: runs a simulated venue's
// matcher, submits orders that never reached the broker, ingests the broker's fills since the
// stored cursor, and applies the terminal statuses the broker reports (canceled, expired,
// rejected). Used by TradingService right after a placement or cancel and by the order-sync job
// for every account.
//
// Safety:
// - Fill ingestion is idempotent (TradeService.ingestFill on (portfolio, broker trade id)), so
//   the cursor is stored after each ingested page: a crash between ingesting and storing only
//   means the page is fetched again and every fill in it reported as a duplicate. Two processes
//   syncing the same account at once are equally harmless. A fill that cannot be ingested stops
//   the account's ingestion at that fill (the cursor stays before its page) and is retried every
//   run, loudly: a fill is never skipped silently.
// - Within one process all work on an account is serialized by a per-account mutex.
// - A terminal status is applied only once the domain holds every fill the broker reports for
//   the order, so an order never ends with fills still in flight.
import type { GatewayOrder } from "../../brokers/types.ts";
import { Mutex } from "../../lib/mutex.ts";
import type { AnyActor } from "../users/actor.ts";
import { applyReport, reconcileStatuses, submitPending } from "./broker-reports.ts";
import { adoptOpen, ingestFills } from "./sync-fills.ts";
import { type SyncCandidate, syncCandidates } from "./sync-candidates.ts";
import {
  type AccountSyncResult,
  type AccountSynchronizerDeps,
  DEFAULT_ACCOUNT_SYNC_OPTIONS,
  SILENT_LOGGER,
  type FillSyncResult,
  type SyncEnv,
  describe,
} from "./sync-types.ts";

export { SILENT_LOGGER, type GatewaySource, type SyncLogger } from "./sync-types.ts";

export class AccountSynchronizer {
  private readonly locks = new Map<number, Mutex>();
  private readonly env: SyncEnv;

  constructor(private readonly deps: AccountSynchronizerDeps) {
    this.env = {
      ctx: deps.ctx,
      orders: deps.orders,
      trades: deps.trades,
      logger: deps.logger ?? SILENT_LOGGER,
      options: { ...DEFAULT_ACCOUNT_SYNC_OPTIONS, ...deps.options },
    };
  }

  private readonly followUps: ((accountId: number) => Promise<unknown>)[] = [];

  /** The accounts the order-sync job may have work for (see sync-candidates.ts). */
  candidates(): Promise<SyncCandidate[]> {
    return syncCandidates(this.deps.ctx.db);
  }

  /**
   * Work that must follow a sync of an account, outside its lock (it may place or cancel orders,
   * which take the lock themselves): the bracket OCO bookkeeping. Run after every syncAccount and
   * after each placement. A failure is logged; the next sync runs it again.
   */
  onSynced(fn: (accountId: number) => Promise<unknown>): void {
    this.followUps.push(fn);
  }

  async followUp(accountId: number): Promise<void> {
    for (const fn of this.followUps) {
      try {
        await fn(accountId);
      } catch (e) {
        this.env.logger.error({ accountId, err: e }, "follow-up after order sync failed");
      }
    }
  }

  /** Runs fn while no other sync work of this process touches the account. */
  async exclusive<T>(accountId: number, fn: () => Promise<T>): Promise<T> {
    let mutex = this.locks.get(accountId);
    if (!mutex) {
      mutex = new Mutex();
      this.locks.set(accountId, mutex);
    }
    return mutex.run(fn);
  }

  /** The whole cycle for one account. Each stage's failure is recorded and the next stage runs. */
  async syncAccount(accountId: number): Promise<AccountSyncResult> {
    const result = await this.syncLocked(accountId);
    await this.followUp(accountId);
    return result;
  }

  private async syncLocked(accountId: number): Promise<AccountSyncResult> {
    return this.exclusive(accountId, async () => {
      const result: AccountSyncResult = {
        accountId,
        ingested: 0,
        duplicates: 0,
        unmatched: 0,
        venueFills: 0,
        submitted: 0,
        statusChanges: 0,
        errors: [],
      };
      const gateway = await this.deps.gateways.forAccount(accountId);
      const stage = async (name: string, fn: () => Promise<void>) => {
        try {
          await fn();
        } catch (e) {
          result.errors.push(`${name}: ${describe(e)}`);
          this.env.logger.error({ accountId, stage: name, err: e }, "order sync stage failed");
        }
      };
      await stage("match", async () => {
        if (gateway.match) result.venueFills = (await gateway.match()).fills;
      });
      await stage("submit", async () => {
        const submitted = await submitPending(this.env, accountId, gateway, result.errors);
        result.submitted = submitted.submitted;
        result.statusChanges += submitted.statusChanges;
      });
      // a venue traded outside TradeDesk too: its open orders, read once for both stages below
      let venueOpen: GatewayOrder[] | null = null;
      await stage("external", async () => {
        if (!gateway.capabilities.externalOrders) return;
        venueOpen = await gateway.fetchOpenOrders();
        result.external =
          (result.external ?? 0) + (await adoptOpen(this.env, accountId, venueOpen));
      });
      await stage("fills", async () => {
        const fills = await ingestFills(this.env, accountId, gateway);
        result.ingested = fills.ingested;
        result.duplicates = fills.duplicates;
        result.unmatched = fills.unmatched;
        result.external = (result.external ?? 0) + (fills.external ?? 0);
      });
      await stage("statuses", async () => {
        result.statusChanges += await reconcileStatuses(this.env, accountId, gateway, venueOpen);
      });
      return result;
    });
  }

  /** Ingests the account's new fills. */
  async syncFills(accountId: number): Promise<FillSyncResult> {
    return this.exclusive(accountId, async () =>
      ingestFills(this.env, accountId, await this.deps.gateways.forAccount(accountId)),
    );
  }

  /**
   * After a placement or cancel: ingests the account's fills, then records what the broker
   * reported for the order (its broker id, a rejection, a cancel or expiry). `actor` is who the
   * resulting status change is audited under.
   */
  async settleOrder(
    actor: AnyActor,
    accountId: number,
    orderId: number,
    reported: GatewayOrder,
  ): Promise<{ fills: FillSyncResult; statusChanged: boolean }> {
    return this.exclusive(accountId, () => this.settle(actor, accountId, orderId, reported));
  }

  /**
   * A user's cancel: asks the venue and records its answer under one hold of the account's lock.
   * Otherwise the sync job could see the venue's cancel between the two steps and record it as
   * its own, and the audit log would not show who canceled the order.
   */
  async cancelAndSettle(
    actor: AnyActor,
    accountId: number,
    orderId: number,
    cancelAtVenue: () => Promise<GatewayOrder>,
  ): Promise<{ fills: FillSyncResult; statusChanged: boolean }> {
    return this.exclusive(accountId, async () =>
      this.settle(actor, accountId, orderId, await cancelAtVenue()),
    );
  }

  private async settle(
    actor: AnyActor,
    accountId: number,
    orderId: number,
    reported: GatewayOrder,
  ): Promise<{ fills: FillSyncResult; statusChanged: boolean }> {
    const gateway = await this.deps.gateways.forAccount(accountId);
    let fills: FillSyncResult = { ingested: 0, duplicates: 0, unmatched: 0 };
    let failure: unknown = null;
    try {
      fills = await ingestFills(this.env, accountId, gateway);
    } catch (e) {
      failure = e;
    }
    // the broker's answer is recorded even when its fills could not be read now (a rejection, the
    // broker id): applyReport ends an order only when every reported fill is already here
    const statusChanged = await applyReport(this.env, actor, orderId, reported);
    if (failure) throw failure;
    return { fills, statusChanged };
  }
}
