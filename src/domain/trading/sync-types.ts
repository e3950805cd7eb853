// The synchronizer's settings, results and collaborators, and the loggers, gateway source and
// error wording shared by everything that syncs accounts with their brokers.
import type { BrokerGateway } from "../../brokers/types.ts";
import type { DomainContext } from "../context.ts";
import type { OrderService } from "../orders/order-service.ts";
import type { TradeService } from "../trades/trade-service.ts";

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

export interface AccountSynchronizerDeps {
  ctx: DomainContext;
  orders: OrderService;
  trades: TradeService;
  gateways: GatewaySource;
  logger?: SyncLogger;
  options?: Partial<AccountSyncOptions>;
}

/** What the sync stages work with: the collaborators, with the options and logger resolved. */
export interface SyncEnv {
  ctx: DomainContext;
  orders: OrderService;
  trades: TradeService;
  logger: SyncLogger;
  options: AccountSyncOptions;
}

/** An error as one line for a sync result's error list. */
export function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
