// What an alert watches and how it fires, as validated JSON (stored in Alert.config).
//
// Conditions (the Alert.type they belong to in brackets):
//   PRICE_LEVEL      [PRICE]      last price at or above / at or below a level
//   PRICE_MOVE       [PRICE]      price changed by ≥ X % against the price a window ago (up, down, either)
//   INDICATOR_LEVEL  [INDICATOR]  an indicator (RSI, an MA, ATR, volume spike, ...) at or above / below a level
//   MA_CROSS         [INDICATOR]  a fast MA (or the price) above / below a slow MA: crossing up, down, either
//   MACD_CROSS       [INDICATOR]  the MACD line above / below its signal line
//   BB_TOUCH         [INDICATOR]  the candle's high reaches the upper band (or its low the lower band)
//   ATR_MOVE         [INDICATOR]  |price − previous close| ≥ k × ATR (ATR of the closed candles)
//   POSITION_PNL     [POSITION]   unrealized PnL of a position at or beyond an amount or a percent
//   POSITION_DRAWDOWN[POSITION]   the position's price fell X % from its best (long; mirrored for short)
//   RISK_USAGE       [RISK]       a risk policy rule used at or beyond X % of its limit
//
// Options: trigger "cross" (default: fire when the condition becomes true after being false at
// the previous evaluation — an alert created while its condition already holds waits for the
// next time it becomes true) or "level" (fire whenever an evaluation finds it true); one-shot
// (deactivated after firing) or repeating with a cooldown; the notification severity.
import type { Severity } from "../../db/generated/sqlite/enums.ts";
import type { Interval } from "../../market/types.ts";
import type {
  AtrSpec,
  BbandsSpec,
  IndicatorSpec,
  MacdSpec,
  MovingAverageSpec,
} from "../indicators/indicator-spec.ts";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./durations.ts";

export type LevelDirection = "above" | "below";
export type CrossDirection = "up" | "down" | "any";
export type PriceOrMa = MovingAverageSpec | { kind: "PRICE" };

export type AlertCondition =
  | { kind: "PRICE_LEVEL"; symbol: string; direction: LevelDirection; level: string }
  | {
      kind: "PRICE_MOVE";
      symbol: string;
      percent: string;
      windowMs: number;
      direction: CrossDirection;
    }
  | {
      kind: "INDICATOR_LEVEL";
      symbol: string;
      interval: Interval;
      indicator: IndicatorSpec;
      direction: LevelDirection;
      level: number;
    }
  | {
      kind: "MA_CROSS";
      symbol: string;
      interval: Interval;
      fast: PriceOrMa;
      slow: MovingAverageSpec;
      direction: CrossDirection;
    }
  | {
      kind: "MACD_CROSS";
      symbol: string;
      interval: Interval;
      indicator: MacdSpec;
      direction: CrossDirection;
    }
  | {
      kind: "BB_TOUCH";
      symbol: string;
      interval: Interval;
      indicator: BbandsSpec;
      band: "upper" | "lower";
    }
  | { kind: "ATR_MOVE"; symbol: string; interval: Interval; indicator: AtrSpec; multiplier: number }
  | { kind: "POSITION_PNL"; symbol: string; threshold: string; unit: "amount" | "percent" }
  | { kind: "POSITION_DRAWDOWN"; symbol: string; percent: string }
  | { kind: "RISK_USAGE"; percent: string; rule?: string };

export type AlertConditionKind = AlertCondition["kind"];
export type AlertTypeName = "PRICE" | "INDICATOR" | "POSITION" | "RISK";

export const ALERT_CONDITION_KINDS: readonly AlertConditionKind[] = [
  "PRICE_LEVEL",
  "PRICE_MOVE",
  "INDICATOR_LEVEL",
  "MA_CROSS",
  "MACD_CROSS",
  "BB_TOUCH",
  "ATR_MOVE",
  "POSITION_PNL",
  "POSITION_DRAWDOWN",
  "RISK_USAGE",
];

export type AlertTrigger = "cross" | "level";

export interface AlertOptions {
  trigger: AlertTrigger;
  /** deactivate after the first firing */
  once: boolean;
  /** repeating alerts: the least time between two firings */
  cooldownMs: number;
  severity: Severity;
}

export interface AlertConfig extends AlertOptions {
  v: 1;
  condition: AlertCondition;
}

export const DEFAULT_COOLDOWN_MS = HOUR_MS;
export const MIN_COOLDOWN_MS = MINUTE_MS;
export const MAX_COOLDOWN_MS = 30 * DAY_MS;
export const MIN_WINDOW_MS = MINUTE_MS;
export const MAX_WINDOW_MS = 7 * DAY_MS;
export const DEFAULT_SEVERITY: Severity = "WARNING";
/** Indicator levels and multipliers beyond this are typos, not alerts. */
/** Price moves and PnL thresholds in percent: a move can exceed 100 %. */
export const MAX_PERCENT = 1000;

export function alertTypeOf(kind: AlertConditionKind): AlertTypeName {
  switch (kind) {
    case "PRICE_LEVEL":
    case "PRICE_MOVE":
      return "PRICE";
    case "POSITION_PNL":
    case "POSITION_DRAWDOWN":
      return "POSITION";
    case "RISK_USAGE":
      return "RISK";
    default:
      return "INDICATOR";
  }
}

export function conditionSymbol(c: AlertCondition): string | null {
  return c.kind === "RISK_USAGE" ? null : c.symbol;
}

export function needsPortfolio(c: AlertCondition): boolean {
  return alertTypeOf(c.kind) === "POSITION" || alertTypeOf(c.kind) === "RISK";
}
