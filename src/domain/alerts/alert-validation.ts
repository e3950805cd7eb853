// Validation of alert configs as typed or stored (alert-config.ts describes what they mean):
// every field checked and normalized, every failure a ValidationError naming the field.
import type { Severity } from "../../db/generated/sqlite/enums.ts";
import { parseDecimal } from "../../lib/decimal.ts";
import { checkBound, parseNumberOrThrow } from "../bounds.ts";
import { INTERVALS, type Interval, parseInterval } from "../../market/types.ts";
import { ValidationError } from "../errors.ts";
import {
  type IndicatorSpec,
  isMovingAverage,
  validateIndicator,
} from "../indicators/indicator-spec.ts";
import { SEVERITIES } from "../notifications/notification-types.ts";
import { type RawConfig, asRecord as asConfigRecord, oneOf } from "../config-validation.ts";
import {
  type AlertCondition,
  type AlertConfig,
  type AlertOptions,
  type AlertTrigger,
  type PriceOrMa,
  ALERT_CONDITION_KINDS,
  DEFAULT_COOLDOWN_MS,
  DEFAULT_SEVERITY,
  MAX_COOLDOWN_MS,
  MAX_PERCENT,
  MAX_WINDOW_MS,
  MIN_COOLDOWN_MS,
  MIN_WINDOW_MS,
} from "./alert-config.ts";
import { DAY_MS, MINUTE_MS } from "./durations.ts";

const MAX_ABS_LEVEL = 1e12;
const MAX_MULTIPLIER = 100;

type Raw = RawConfig;

const asRecord = (raw: unknown, field: string): Raw =>
  asConfigRecord(raw, field, "error-alert-config-invalid");

function symbolOf(value: unknown): string {
  if (typeof value !== "string" || !/^[A-Za-z0-9._@/-]{1,40}$/.test(value.trim())) {
    throw new ValidationError("symbol", "error-unknown-symbol", {
      symbol: String(value ?? "?"),
      suggestions: "none",
    });
  }
  return value.trim().toUpperCase();
}

function intervalOf(value: unknown): Interval {
  const interval = typeof value === "string" ? parseInterval(value) : null;
  if (!interval) {
    throw new ValidationError(
      "candleInterval",
      "error-alert-interval",
      { value: String(value ?? "—"), allowed: INTERVALS.join(", ") },
      [...INTERVALS],
    );
  }
  return interval;
}

/**
 * A positive decimal (given as text or number), returned canonical: within `max` when given (a
 * percent), else within the bound of a price (domain/bounds.ts).
 */
function positiveDecimal(value: unknown, field: string, max?: number): string {
  const d = parseNumberOrThrow(field, String(value ?? ""));
  if (!d.gt(0)) throw new ValidationError(field, "error-must-be-positive", { value: d.toFixed() });
  if (max !== undefined && d.gt(max)) {
    throw new ValidationError(field, "error-alert-too-large", { value: d.toFixed(), max });
  }
  return checkBound(field, d, "price").toFixed();
}

function finiteNumber(value: unknown, field: string): number {
  const n = typeof value === "string" ? parseDecimal(value)?.toNumber() : value;
  if (typeof n !== "number" || !Number.isFinite(n)) {
    throw new ValidationError(field, "error-not-a-number", { value: String(value ?? "") });
  }
  if (Math.abs(n) > MAX_ABS_LEVEL) {
    throw new ValidationError(field, "error-alert-too-large", {
      value: String(n),
      max: MAX_ABS_LEVEL,
    });
  }
  return n;
}

function duration(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, "error-alert-duration-range", {
      value: String(value ?? "—"),
      min: `${min / MINUTE_MS}m`,
      max: `${max / DAY_MS}d`,
    });
  }
  return value;
}

function movingAverageOrPrice(raw: unknown, field: string): PriceOrMa {
  const spec = validateIndicator(raw, field);
  if (spec.kind === "PRICE" || isMovingAverage(spec)) return spec;
  throw new ValidationError(field, "error-alert-not-ma", { value: spec.kind });
}

function specOfKind<K extends IndicatorSpec["kind"]>(
  raw: unknown,
  kind: K,
): Extract<IndicatorSpec, { kind: K }> {
  const spec = validateIndicator(raw, "indicator");
  if (spec.kind !== kind) {
    throw new ValidationError("indicator", "error-alert-indicator-kind", {
      value: spec.kind,
      expected: kind,
    });
  }
  return spec as Extract<IndicatorSpec, { kind: K }>;
}

function indicatorLevel(spec: IndicatorSpec, raw: unknown): number {
  const level = finiteNumber(raw, "alertLevel");
  if (spec.kind === "RSI" && !(level > 0 && level < 100)) {
    throw new ValidationError("alertLevel", "error-alert-rsi-level", { value: String(level) });
  }
  const mustBePositive =
    spec.kind === "VOLUME_SPIKE" ||
    spec.kind === "ATR" ||
    spec.kind === "VOLUME" ||
    spec.kind === "SMA" ||
    spec.kind === "EMA";
  if (mustBePositive && !(level > 0)) {
    throw new ValidationError("alertLevel", "error-must-be-positive", { value: String(level) });
  }
  return level;
}

/** Validates a condition from JSON; the symbol is checked for shape only (the service resolves it). */
export function validateAlertCondition(raw: unknown): AlertCondition {
  const o = asRecord(raw, "alertKind");
  const kind = oneOf(o.kind, ALERT_CONDITION_KINDS, "alertKind");
  switch (kind) {
    case "PRICE_LEVEL":
      return {
        kind,
        symbol: symbolOf(o.symbol),
        direction: oneOf(o.direction, ["above", "below"] as const, "alertDirection"),
        level: positiveDecimal(o.level, "alertLevel"),
      };
    case "PRICE_MOVE":
      return {
        kind,
        symbol: symbolOf(o.symbol),
        percent: positiveDecimal(o.percent, "alertPercent", MAX_PERCENT),
        windowMs: duration(o.windowMs, "alertWindow", MIN_WINDOW_MS, MAX_WINDOW_MS),
        direction: oneOf(o.direction ?? "any", ["up", "down", "any"] as const, "alertDirection"),
      };
    case "INDICATOR_LEVEL": {
      const indicator = validateIndicator(o.indicator, "indicator");
      if (indicator.kind === "PRICE") {
        throw new ValidationError("indicator", "error-alert-price-is-not-indicator");
      }
      return {
        kind,
        symbol: symbolOf(o.symbol),
        interval: intervalOf(o.interval),
        indicator,
        direction: oneOf(o.direction, ["above", "below"] as const, "alertDirection"),
        level: indicatorLevel(indicator, o.level),
      };
    }
    case "MA_CROSS": {
      const fast = movingAverageOrPrice(o.fast, "indicator");
      const slowSpec = movingAverageOrPrice(o.slow, "indicator");
      if (slowSpec.kind === "PRICE") {
        throw new ValidationError("indicator", "error-alert-not-ma", { value: "PRICE" });
      }
      if (fast.kind !== "PRICE" && fast.kind === slowSpec.kind && fast.period === slowSpec.period) {
        throw new ValidationError("indicator", "error-alert-same-ma", {
          value: `${fast.kind}(${fast.period})`,
        });
      }
      return {
        kind,
        symbol: symbolOf(o.symbol),
        interval: intervalOf(o.interval),
        fast,
        slow: slowSpec,
        direction: oneOf(o.direction ?? "any", ["up", "down", "any"] as const, "alertDirection"),
      };
    }
    case "MACD_CROSS":
      return {
        kind,
        symbol: symbolOf(o.symbol),
        interval: intervalOf(o.interval),
        indicator: specOfKind(o.indicator ?? { kind: "MACD" }, "MACD"),
        direction: oneOf(o.direction ?? "any", ["up", "down", "any"] as const, "alertDirection"),
      };
    case "BB_TOUCH":
      return {
        kind,
        symbol: symbolOf(o.symbol),
        interval: intervalOf(o.interval),
        indicator: specOfKind(o.indicator ?? { kind: "BBANDS" }, "BBANDS"),
        band: oneOf(o.band, ["upper", "lower"] as const, "alertBand"),
      };
    case "ATR_MOVE": {
      const multiplier = finiteNumber(o.multiplier, "alertMultiplier");
      if (!(multiplier > 0 && multiplier <= MAX_MULTIPLIER)) {
        throw new ValidationError("alertMultiplier", "error-alert-multiplier-range", {
          value: String(multiplier),
          max: MAX_MULTIPLIER,
        });
      }
      return {
        kind,
        symbol: symbolOf(o.symbol),
        interval: intervalOf(o.interval),
        indicator: specOfKind(o.indicator ?? { kind: "ATR" }, "ATR"),
        multiplier,
      };
    }
    case "POSITION_PNL": {
      const unit = oneOf(o.unit, ["amount", "percent"] as const, "alertThreshold");
      const threshold = parseNumberOrThrow("alertThreshold", String(o.threshold ?? ""));
      if (unit === "amount") checkBound("alertThreshold", threshold, "amount");
      if (threshold.isZero()) {
        throw new ValidationError("alertThreshold", "error-alert-threshold-zero");
      }
      if (unit === "percent" && threshold.abs().gt(MAX_PERCENT)) {
        throw new ValidationError("alertThreshold", "error-alert-too-large", {
          value: threshold.toFixed(),
          max: MAX_PERCENT,
        });
      }
      return { kind, symbol: symbolOf(o.symbol), threshold: threshold.toFixed(), unit };
    }
    case "POSITION_DRAWDOWN": {
      const percent = positiveDecimal(o.percent, "alertPercent", 100);
      if (percent === "100") {
        throw new ValidationError("alertPercent", "error-alert-too-large", {
          value: percent,
          max: "99.99",
        });
      }
      return { kind, symbol: symbolOf(o.symbol), percent };
    }
    case "RISK_USAGE": {
      const condition: AlertCondition = {
        kind,
        percent: positiveDecimal(o.percent, "alertPercent", MAX_PERCENT),
      };
      if (o.rule !== undefined && o.rule !== null) {
        if (typeof o.rule !== "string" || !/^[A-Za-z][A-Za-z0-9]{0,40}$/.test(o.rule)) {
          throw new ValidationError("alertRule", "error-alert-rule", { value: String(o.rule) });
        }
        condition.rule = o.rule;
      }
      return condition;
    }
  }
}

export interface AlertOptionsInput {
  trigger?: AlertTrigger;
  once?: boolean;
  cooldownMs?: number;
  severity?: Severity;
}

export function validateAlertOptions(raw: unknown): AlertOptions {
  const o = raw === undefined || raw === null ? {} : asRecord(raw, "alertTrigger");
  if (o.once !== undefined && typeof o.once !== "boolean") {
    throw new ValidationError("alertCooldown", "error-alert-config-invalid");
  }
  return {
    trigger: oneOf(o.trigger ?? "cross", ["cross", "level"] as const, "alertTrigger"),
    once: o.once === true,
    cooldownMs: duration(
      o.cooldownMs ?? DEFAULT_COOLDOWN_MS,
      "alertCooldown",
      MIN_COOLDOWN_MS,
      MAX_COOLDOWN_MS,
    ),
    severity: oneOf(o.severity ?? DEFAULT_SEVERITY, SEVERITIES, "alertSeverity"),
  };
}

/** A stored config read back (or a full config given as JSON). */
export function validateAlertConfig(raw: unknown): AlertConfig {
  const o = asRecord(raw, "alertKind");
  return { v: 1, condition: validateAlertCondition(o.condition), ...validateAlertOptions(o) };
}
