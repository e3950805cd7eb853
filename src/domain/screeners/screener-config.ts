// A screener as validated JSON (stored in Screener.config):
//   universe    { kind: "SYMBOLS", symbols: [...] } | { kind: "ASSET_TYPE", assetType: "CRYPTO" }
//               | { kind: "EXCHANGE", exchange: "NASDAQ" }   (resolved from the instruments table)
//   interval    the candle interval indicators are computed on ("1h", "1d", ...)
//   conditions  all must hold: { left: <indicator>, op: ">" | ">=" | "<" | "<=", right: <indicator> | number }
//   sort        { by: <indicator>, order: "asc" | "desc" }: any indicator, computed for every match
//   limit       top N rows
// Indicators are the shared vocabulary (src/domain/indicators/indicator-spec.ts).
import type { AssetTypeCode } from "../../market/catalog.ts";
import { INTERVALS, type Interval, parseInterval } from "../../market/types.ts";
import { NUMBER_BOUNDS, displayLimit } from "../bounds.ts";
import { ValidationError } from "../errors.ts";
import {
  type IndicatorSpec,
  formatIndicator,
  validateIndicator,
} from "../indicators/indicator-spec.ts";
import { plainNumber } from "../indicators/rounding.ts";
import { type RawConfig, asRecord as asConfigRecord, oneOf } from "../config-validation.ts";

export const COMPARATORS = [">", ">=", "<", "<="] as const;
export type Comparator = (typeof COMPARATORS)[number];
export const ASSET_TYPES: readonly AssetTypeCode[] = ["CRYPTO", "EQUITY", "ETF", "FUTURE", "FOREX"];
export const SORT_ORDERS = ["asc", "desc"] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export interface ScreenerCondition {
  left: IndicatorSpec;
  op: Comparator;
  right: IndicatorSpec | number;
}

export type Universe =
  | { kind: "SYMBOLS"; symbols: string[] }
  | { kind: "ASSET_TYPE"; assetType: AssetTypeCode }
  | { kind: "EXCHANGE"; exchange: string };

export interface ScreenerConfig {
  v: 1;
  universe: Universe;
  interval: Interval;
  conditions: ScreenerCondition[];
  sort: { by: IndicatorSpec; order: SortOrder };
  limit: number;
}

export const MAX_CONDITIONS = 10;
export const MAX_EXPLICIT_SYMBOLS = 200;
export const MAX_LIMIT = 50;
export const DEFAULT_LIMIT = 10;

type Raw = RawConfig;

const asRecord = (raw: unknown, field: string): Raw =>
  asConfigRecord(raw, field, "error-screener-config-invalid");
const choice = oneOf;

export function validateUniverse(raw: unknown): Universe {
  const o = asRecord(raw, "screenerUniverse");
  const kind = choice(o.kind, ["SYMBOLS", "ASSET_TYPE", "EXCHANGE"] as const, "screenerUniverse");
  if (kind === "ASSET_TYPE") {
    const assetType = typeof o.assetType === "string" ? o.assetType.toUpperCase() : o.assetType;
    return { kind, assetType: choice(assetType, ASSET_TYPES, "screenerAssetType") };
  }
  if (kind === "EXCHANGE") {
    if (typeof o.exchange !== "string" || !/^[A-Za-z0-9._-]{1,20}$/.test(o.exchange.trim())) {
      throw new ValidationError("screenerExchange", "error-screener-exchange", {
        value: String(o.exchange ?? "—"),
        allowed: "—",
      });
    }
    return { kind, exchange: o.exchange.trim().toUpperCase() };
  }
  if (!Array.isArray(o.symbols) || o.symbols.length === 0) {
    throw new ValidationError("screenerSymbols", "error-screener-symbols-empty");
  }
  if (o.symbols.length > MAX_EXPLICIT_SYMBOLS) {
    throw new ValidationError("screenerSymbols", "error-screener-symbols-too-many", {
      max: MAX_EXPLICIT_SYMBOLS,
    });
  }
  const symbols: string[] = [];
  for (const s of o.symbols) {
    if (typeof s !== "string" || !/^[A-Za-z0-9._@/-]{1,40}$/.test(s.trim())) {
      throw new ValidationError("symbol", "error-unknown-symbol", {
        symbol: String(s),
        suggestions: "none",
      });
    }
    const symbol = s.trim().toUpperCase();
    if (!symbols.includes(symbol)) symbols.push(symbol);
  }
  return { kind, symbols };
}

const MAX_THRESHOLD = displayLimit(NUMBER_BOUNDS.amount);

function operand(raw: unknown): IndicatorSpec | number {
  if (typeof raw === "number") {
    if (!Number.isFinite(raw)) {
      throw new ValidationError("screenerCondition", "error-not-a-number", { value: String(raw) });
    }
    // thresholds compare with indicator values (floats): the money bound keeps them sane
    if (Math.abs(raw) > MAX_THRESHOLD) {
      throw new ValidationError("screenerCondition", "error-number-too-large", {
        max: MAX_THRESHOLD,
      });
    }
    return raw;
  }
  return validateIndicator(raw, "indicator");
}

export function validateCondition(raw: unknown): ScreenerCondition {
  const o = asRecord(raw, "screenerCondition");
  const left = operand(o.left);
  if (typeof left === "number") {
    throw new ValidationError("screenerCondition", "error-screener-condition-left");
  }
  return { left, op: choice(o.op, COMPARATORS, "screenerCondition"), right: operand(o.right) };
}

export function validateScreenerConfig(raw: unknown): ScreenerConfig {
  const o = asRecord(raw, "screenerUniverse");
  const interval = typeof o.interval === "string" ? parseInterval(o.interval) : null;
  if (!interval) {
    throw new ValidationError(
      "candleInterval",
      "error-alert-interval",
      { value: String(o.interval ?? "—"), allowed: INTERVALS.join(", ") },
      [...INTERVALS],
    );
  }
  const rawConditions = o.conditions ?? [];
  if (!Array.isArray(rawConditions)) {
    throw new ValidationError("screenerCondition", "error-screener-config-invalid");
  }
  if (rawConditions.length > MAX_CONDITIONS) {
    throw new ValidationError("screenerCondition", "error-screener-too-many-conditions", {
      max: MAX_CONDITIONS,
    });
  }
  const sort = asRecord(o.sort ?? { by: { kind: "PRICE_CHANGE_PCT", period: 24 } }, "screenerSort");
  const limit = o.limit ?? DEFAULT_LIMIT;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new ValidationError("screenerLimit", "error-screener-limit", {
      value: String(limit),
      max: MAX_LIMIT,
    });
  }
  return {
    v: 1,
    universe: validateUniverse(o.universe),
    interval,
    conditions: rawConditions.map(validateCondition),
    sort: {
      by: validateIndicator(sort.by, "screenerSort"),
      order: choice(sort.order ?? "desc", SORT_ORDERS, "screenerSort"),
    },
    limit,
  };
}

export function formatOperand(value: IndicatorSpec | number): string {
  return typeof value === "number" ? plainNumber(value) : formatIndicator(value);
}

/** "RSI(14) < 30", "EMA(20) > EMA(50)". */
export function formatCondition(c: ScreenerCondition): string {
  return `${formatIndicator(c.left)} ${c.op} ${formatOperand(c.right)}`;
}

/** True when `left op right`; a missing value never satisfies a condition. */
export function compare(left: number | null, op: Comparator, right: number | null): boolean {
  if (left === null || right === null) return false;
  switch (op) {
    case ">":
      return left > right;
    case ">=":
      return left >= right;
    case "<":
      return left < right;
    case "<=":
      return left <= right;
  }
}
