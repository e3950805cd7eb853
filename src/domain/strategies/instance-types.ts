// What the strategy runtime shows and tells: running instances as the fronts see them, and the
// notices it writes to the outbox. The domain never words text: a StrategyNotifier (the bot's,
// src/bot/features/strategy-runs/) renders a notice in the owner's language; the runtime
// writes the row in the same transaction as the event it reports.
import type { Severity, StrategyInstanceStatus } from "../../db/generated/sqlite/enums.ts";
import type { Decimal } from "../../lib/decimal.ts";
import type { AnyStrategyDefinition } from "../../strategies/registry.ts";
import type { NotificationFormat } from "../notifications/notification-types.ts";

export type { StrategyInstanceStatus };

/** Hands out strategy definitions by kind (src/strategies/registry.ts; tests give their own). */
export type StrategyRegistry = (kind: string) => AnyStrategyDefinition | undefined;

/** Evaluations that may throw in a row before the instance is paused and its owner told. */
export const MAX_CONSECUTIVE_ERRORS = 3;
/** Symbols one instance may run on. */
export const MAX_INSTANCE_SYMBOLS = 10;

export interface StrategyInstanceView {
  id: number;
  uid: string;
  userId: number;
  portfolioId: number;
  portfolioName: string;
  isPaper: boolean;
  strategyId: number;
  strategyName: string;
  /** the version that runs */
  strategyVersion: number;
  /** the newest saved version of the strategy (a switch candidate when higher) */
  latestVersion: number;
  kind: string;
  symbols: string[];
  status: StrategyInstanceStatus;
  consecutiveErrors: number;
  lastError: string | null;
  lastSignal: LastSignal | null;
  lastSignalAt: Date | null;
  startedAt: Date;
  pausedAt: Date | null;
  stoppedAt: Date | null;
}

/** The last intent an instance produced (stored as "action symbol reason"). */
export interface LastSignal {
  action: string;
  symbol: string;
  reason: string;
}

/** An instance with what /running shows about it. */
export interface RunningInstance extends StrategyInstanceView {
  /** orders its strategy (any version) placed in this portfolio today, in the owner's zone */
  ordersToday: number;
  /** net PnL (realized + unrealized − fees) of the current run, in the portfolio's currency */
  pnlSinceStart: Decimal;
  currency: string;
}

export interface StrategyRunView {
  id: number;
  instanceId: number;
  strategyId: number;
  status: "RUNNING" | "FINISHED";
  startedAt: Date;
  endedAt: Date | null;
  capitalStart: Decimal;
  capitalEnd: Decimal | null;
  orders: number;
  successfulOrders: number;
  pnl: Decimal;
  maxDrawdown: Decimal;
}

/** What became of one intent. */
export type IntentOutcome =
  | { kind: "placed"; orderId: number; status: string; quantity: Decimal; filled: Decimal }
  /** the order of this (instance, symbol, candle, intent) exists already: a re-evaluation */
  | { kind: "already-placed"; orderId: number }
  /** nothing to trade (a sell of "all" while flat, a size below the lot) */
  | { kind: "nothing" }
  /** refused before or at placement (risk, cash, trading rules): an i18n key and parameters */
  | { kind: "refused"; key: string; params: Record<string, string | number> };

export interface IntentReport {
  intentId: string;
  action: "buy" | "sell" | "close";
  reason: string;
  side: "BUY" | "SELL" | null;
  outcome: IntentOutcome;
}

interface NoticeBase {
  userId: number;
  /** what the notifier needs to pick the recipient's language */
  recipient: { language: string | null; telegramLanguage: string | null; timeZone: string };
  severity: Severity;
  dedupeKey: string;
  instance: { id: number; strategyName: string; version: number; portfolioName: string };
}

export type StrategyNotice =
  | (NoticeBase & {
      kind: "signals";
      symbol: string;
      candleOpenTime: Date;
      intents: IntentReport[];
    })
  | (NoticeBase & {
      kind: "error";
      message: string;
      consecutiveErrors: number;
      /** true when this error paused the instance */
      paused: boolean;
    })
  | (NoticeBase & {
      kind: "daily";
      day: Date;
      orders: number;
      fills: number;
      pnlSinceStart: Decimal;
      currency: string;
    });

export interface StrategyMessage {
  title: string;
  message: string;
  format: NotificationFormat;
}

export interface StrategyNotifier {
  /** The notice in its recipient's language. Pure: no I/O (it runs inside a transaction). */
  render(notice: StrategyNotice): StrategyMessage;
}
