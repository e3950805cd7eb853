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
import type { BrokerGateway, GatewayFill, GatewayOrder } from "../../brokers/types.ts";
import type { OrderStatus } from "../../db/generated/sqlite/enums.ts";
import { Mutex } from "../../lib/mutex.ts";
import { audit } from "../audit/audit-logger.ts";
import type { DomainContext } from "../context.ts";
import { StateError } from "../errors.ts";
import { orderInclude, toOrderView } from "../orders/order-mapper.ts";
import type { OrderService } from "../orders/order-service.ts";
import { OPEN_STATUSES, isOpen } from "../orders/order-status.ts";
import type { TradeService } from "../trades/trade-service.ts";
import { type AnyActor, SYSTEM } from "../users/actor.ts";
import { knownOrder, recordExternalOrder } from "./external-orders.ts";
import { toPlaceOrderRequest } from "./gateway-request.ts";
import { submitPendingPairs } from "./native-oco.ts";

/** Where gateways come from (GatewayRegistry in production). */
export interface GatewaySource {
  forAccount(accountId: number): Promise<BrokerGateway>;
}

/** The logging the synchronizer needs; a pino logger fits. */
export interface SyncLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const SILENT_LOGGER: SyncLogger = { info() {}, warn() {}, error() {} };

export interface AccountSyncOptions {
  /** fills fetched per gateway call */
  pageSize: number;
  /** pages ingested per account per run, so one busy account cannot hold up the others */
  maxPages: number;
  /** a NEW order without a broker id is left alone this long (its place() may be in flight) */
  submitGraceMs: number;
  /**
   * how long an order that never reached the broker may still be submitted; older ones are
   * rejected ("submit-timeout") rather than sent to a market that has moved on
   */
  submitWindowMs: number;
}

export const DEFAULT_ACCOUNT_SYNC_OPTIONS: Readonly<AccountSyncOptions> = Object.freeze({
  pageSize: 500,
  maxPages: 20,
  submitGraceMs: 5_000,
  submitWindowMs: 120_000,
});

export interface FillSyncResult {
  ingested: number;
  duplicates: number;
  /** fills of orders this installation does not know (placed elsewhere); audited, not ingested */
  unmatched: number;
  /** orders placed outside TradeDesk recorded in this run (live venues: externalOrders) */
  external?: number;
}

export interface AccountSyncResult extends FillSyncResult {
  accountId: number;
  /** fills written by a simulated venue's matcher in this run */
  venueFills: number;
  submitted: number;
  statusChanges: number;
  errors: string[];
}

const TERMINAL_REPORTS: readonly OrderStatus[] = ["CANCELED", "EXPIRED", "REJECTED"];

interface FillTarget {
  id: number;
  portfolioId: number;
  instrumentId: number;
  brokerOrderId: string | null;
}

export interface AccountSynchronizerDeps {
  ctx: DomainContext;
  orders: OrderService;
  trades: TradeService;
  gateways: GatewaySource;
  logger?: SyncLogger;
  options?: Partial<AccountSyncOptions>;
}

export class AccountSynchronizer {
  private readonly locks = new Map<number, Mutex>();
  private readonly options: AccountSyncOptions;
  private readonly logger: SyncLogger;

  constructor(private readonly deps: AccountSynchronizerDeps) {
    this.options = { ...DEFAULT_ACCOUNT_SYNC_OPTIONS, ...deps.options };
    this.logger = deps.logger ?? SILENT_LOGGER;
  }

  private readonly followUps: ((accountId: number) => Promise<unknown>)[] = [];

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
        this.logger.error({ accountId, err: e }, "follow-up after order sync failed");
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
          this.logger.error({ accountId, stage: name, err: e }, "order sync stage failed");
        }
      };
      await stage("match", async () => {
        if (gateway.match) result.venueFills = (await gateway.match()).fills;
      });
      await stage("submit", async () => {
        const submitted = await this.submitPending(accountId, gateway, result.errors);
        result.submitted = submitted.submitted;
        result.statusChanges += submitted.statusChanges;
      });
      // a venue traded outside TradeDesk too: its open orders, read once for both stages below
      let venueOpen: GatewayOrder[] | null = null;
      await stage("external", async () => {
        if (!gateway.capabilities.externalOrders) return;
        venueOpen = await gateway.fetchOpenOrders();
        result.external = (result.external ?? 0) + (await this.adoptOpen(accountId, venueOpen));
      });
      await stage("fills", async () => {
        const fills = await this.ingestFills(accountId, gateway);
        result.ingested = fills.ingested;
        result.duplicates = fills.duplicates;
        result.unmatched = fills.unmatched;
        result.external = (result.external ?? 0) + (fills.external ?? 0);
      });
      await stage("statuses", async () => {
        result.statusChanges += await this.reconcileStatuses(accountId, gateway, venueOpen);
      });
      return result;
    });
  }

  /** Ingests the account's new fills. */
  async syncFills(accountId: number): Promise<FillSyncResult> {
    return this.exclusive(accountId, async () =>
      this.ingestFills(accountId, await this.deps.gateways.forAccount(accountId)),
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
      fills = await this.ingestFills(accountId, gateway);
    } catch (e) {
      failure = e;
    }
    // the broker's answer is recorded even when its fills could not be read now (a rejection, the
    // broker id): applyReport ends an order only when every reported fill is already here
    const statusChanged = await this.applyReport(actor, orderId, reported);
    if (failure) throw failure;
    return { fills, statusChanged };
  }

  private async ingestFills(accountId: number, gateway: BrokerGateway): Promise<FillSyncResult> {
    const { db } = this.deps.ctx;
    const result: FillSyncResult = { ingested: 0, duplicates: 0, unmatched: 0, external: 0 };
    let cursor = (await db.syncCursor.findUnique({ where: { accountId } }))?.cursor ?? null;
    const targets = new Map<string, FillTarget | null>();
    for (let page = 0; page < this.options.maxPages; page++) {
      const batch = await gateway.fetchFillsSince(cursor, this.options.pageSize);
      for (const fill of batch.fills) {
        const key = `${fill.clientOrderId}\u0000${fill.brokerOrderId}`;
        if (!targets.has(key)) {
          let found = await this.fillTarget(accountId, fill);
          if (!found && gateway.capabilities.externalOrders) {
            found = await this.adoptFilled(accountId, gateway, fill);
            if (found) result.external = (result.external ?? 0) + 1;
          }
          targets.set(key, found);
        }
        const target = targets.get(key) ?? null;
        if (!target) {
          result.unmatched++;
          await this.recordUnmatched(accountId, fill);
          continue;
        }
        if (target.brokerOrderId === null && fill.brokerOrderId) {
          // the order reached the broker but the answer was never recorded (a crash or a lost
          // reply): its fills name the broker's id. Recorded now, or a fill ingested before the
          // submit stage adopts the order would leave it without one for good
          await db.order.updateMany({
            where: { id: target.id, brokerOrderId: null },
            data: { brokerOrderId: fill.brokerOrderId },
          });
          target.brokerOrderId = fill.brokerOrderId;
        }
        const ingested = await this.deps.trades.ingestFill(SYSTEM, {
          portfolioId: target.portfolioId,
          instrumentId: target.instrumentId,
          orderId: target.id,
          side: fill.side,
          quantity: fill.quantity,
          price: fill.price,
          fee: fill.fee,
          feeCurrency: fill.feeCurrency,
          execTime: fill.execTime,
          brokerTradeId: fill.brokerTradeId,
          meta: { brokerOrderId: fill.brokerOrderId, broker: gateway.brokerCode },
        });
        if (ingested.duplicate) result.duplicates++;
        else result.ingested++;
      }
      if (batch.cursor !== null && batch.cursor !== cursor) {
        await db.syncCursor.upsert({
          where: { accountId },
          create: { accountId, cursor: batch.cursor },
          update: { cursor: batch.cursor },
        });
        cursor = batch.cursor;
      }
      if (!batch.hasMore) break;
    }
    return result;
  }

  /** The account's order a fill belongs to, by the client's id or the broker's. */
  private async fillTarget(accountId: number, fill: GatewayFill): Promise<FillTarget | null> {
    return this.deps.ctx.db.order.findFirst({
      where: {
        portfolio: { accountId },
        OR: [{ clientOrderId: fill.clientOrderId }, { brokerOrderId: fill.brokerOrderId }],
      },
      select: { id: true, portfolioId: true, instrumentId: true, brokerOrderId: true },
    });
  }

  /** Records the venue's open orders the account does not know (placed outside TradeDesk). */
  private async adoptOpen(accountId: number, open: readonly GatewayOrder[]): Promise<number> {
    let recorded = 0;
    for (const order of open) {
      if (await knownOrder(this.deps.ctx, accountId, order)) continue;
      const row = await recordExternalOrder(this.deps.ctx, accountId, order);
      if (row) {
        recorded++;
        this.logger.info(
          { accountId, orderId: row.id, brokerOrderId: order.brokerOrderId },
          "external order recorded",
        );
      }
    }
    return recorded;
  }

  /** The order of a fill nobody here placed, recorded as external (null: cannot be recorded). */
  private async adoptFilled(
    accountId: number,
    gateway: BrokerGateway,
    fill: GatewayFill,
  ): Promise<FillTarget | null> {
    if (!fill.brokerOrderId) return null;
    const reported = await gateway.fetchOrder({
      brokerOrderId: fill.brokerOrderId,
      symbol: fill.symbol,
    });
    if (!reported) return null;
    const row = await recordExternalOrder(this.deps.ctx, accountId, reported);
    if (row) {
      this.logger.info(
        { accountId, orderId: row.id, brokerOrderId: fill.brokerOrderId },
        "external order recorded from its fill",
      );
    }
    return row ? { ...row, brokerOrderId: reported.brokerOrderId } : null;
  }

  private async recordUnmatched(accountId: number, fill: GatewayFill): Promise<void> {
    const details = {
      accountId,
      reason: "no-matching-order",
      brokerTradeId: fill.brokerTradeId,
      brokerOrderId: fill.brokerOrderId,
      clientOrderId: fill.clientOrderId,
      symbol: fill.symbol,
      side: fill.side,
      quantity: fill.quantity.toFixed(),
      price: fill.price.toFixed(),
    };
    this.logger.warn(details, "broker fill for an unknown order was not ingested");
    await audit(this.deps.ctx.db, { actorId: null, entityType: "TRADE", action: "SYNC", details });
  }

  /**
   * Orders stored as NEW that never got a broker id (the broker was unreachable during place()):
   * adopted if the broker has them after all, submitted while still recent, rejected after that.
   */
  private async submitPending(
    accountId: number,
    gateway: BrokerGateway,
    errors: string[],
  ): Promise<{ submitted: number; statusChanges: number }> {
    const now = this.deps.ctx.clock.now().getTime();
    const rows = await this.deps.ctx.db.order.findMany({
      where: {
        portfolio: { accountId },
        status: "NEW",
        brokerOrderId: null,
        placedAt: { lte: new Date(now - this.options.submitGraceMs) },
      },
      include: orderInclude,
      orderBy: { id: "asc" },
    });
    const pending = rows.map(toOrderView);
    // legs of a native OCO pair go out together, never one alone (trading/native-oco.ts)
    const pairs = await submitPendingPairs(
      pending.filter((o) => o.leg?.nativeList),
      gateway,
      {
        now,
        submitWindowMs: this.options.submitWindowMs,
        apply: (orderId, reported) => this.applyReport(SYSTEM, orderId, reported),
        reject: async (orderId, reason) => {
          await this.deps.orders.transition(SYSTEM, orderId, { status: "REJECTED", reason });
        },
        onError: (order, e) => {
          errors.push(`submit OCO pair of order ${order.id}: ${describe(e)}`);
          this.logger.error({ accountId, orderId: order.id, err: e }, "submitting OCO pair failed");
        },
      },
    );
    let submitted = pairs.submitted;
    let statusChanges = pairs.statusChanges;
    for (const order of pending.filter((o) => !o.leg?.nativeList)) {
      try {
        let reported = await gateway.fetchOrder({ clientOrderId: order.clientOrderId });
        if (!reported) {
          if (now - order.placedAt.getTime() > this.options.submitWindowMs) {
            await this.deps.orders.transition(SYSTEM, order.id, {
              status: "REJECTED",
              reason: "submit-timeout",
            });
            statusChanges++;
            continue;
          }
          reported = await gateway.placeOrder(toPlaceOrderRequest(order));
          submitted++;
          // canceled here while it was being submitted: take it off the broker's book too
          const latest = await this.deps.orders.get(SYSTEM, order.id);
          if (!isOpen(latest.status) && isOpen(reported.status)) {
            await gateway.cancelOrder({ brokerOrderId: reported.brokerOrderId });
          }
        }
        if (await this.applyReport(SYSTEM, order.id, reported)) statusChanges++;
      } catch (e) {
        errors.push(`submit order ${order.id}: ${describe(e)}`);
        this.logger.error({ accountId, orderId: order.id, err: e }, "submitting order failed");
      }
    }
    return { submitted, statusChanges };
  }

  /** Applies the broker's terminal statuses to the account's open orders. */
  private async reconcileStatuses(
    accountId: number,
    gateway: BrokerGateway,
    venueOpen: readonly GatewayOrder[] | null = null,
  ): Promise<number> {
    const open = await this.deps.ctx.db.order.findMany({
      where: {
        portfolio: { accountId },
        status: { in: [...OPEN_STATUSES] },
        brokerOrderId: { not: null },
      },
      select: {
        id: true,
        brokerOrderId: true,
        clientOrderId: true,
        instrument: { select: { symbol: true } },
      },
      orderBy: { id: "asc" },
    });
    if (!open.length) return 0;
    const stillOpen = new Set(
      (venueOpen ?? (await gateway.fetchOpenOrders())).map((o) => o.brokerOrderId),
    );
    let changes = 0;
    for (const order of open) {
      if (stillOpen.has(order.brokerOrderId as string)) continue;
      const reported = await gateway.fetchOrder({
        brokerOrderId: order.brokerOrderId,
        clientOrderId: order.clientOrderId,
        symbol: order.instrument.symbol,
      });
      if (!reported) {
        this.logger.warn({ accountId, orderId: order.id }, "open order unknown at the broker");
        continue;
      }
      if (await this.applyReport(SYSTEM, order.id, reported)) changes++;
    }
    return changes;
  }

  /**
   * Records the broker's view of one order: its broker id when the domain lacks it, and a
   * canceled/expired/rejected status once every reported fill is ingested. True when the status
   * changed.
   */
  private async applyReport(
    actor: AnyActor,
    orderId: number,
    reported: GatewayOrder,
  ): Promise<boolean> {
    const { orders } = this.deps;
    // the order may move under us (a fill ingested by another process): read, then retry once
    for (let attempt = 0; ; attempt++) {
      const order = await orders.get(SYSTEM, orderId);
      // a closed order (filled by the fills just ingested) still gets its broker id recorded
      const brokerOrderId = order.brokerOrderId ? undefined : reported.brokerOrderId;
      const terminal =
        isOpen(order.status) &&
        TERMINAL_REPORTS.includes(reported.status) &&
        reported.filledQuantity.eq(order.filledQuantity);
      if (!terminal && !brokerOrderId) return false;
      try {
        await orders.transition(terminal ? actor : SYSTEM, orderId, {
          status: terminal ? reported.status : order.status,
          brokerOrderId,
          reason: terminal ? (reported.rejectReason ?? null) : null,
        });
        return terminal;
      } catch (e) {
        if (!(e instanceof StateError) || attempt >= 1) throw e;
      }
    }
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
