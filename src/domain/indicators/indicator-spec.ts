// The indicator vocabulary alerts and screeners share, as validated JSON:
//   { kind: "RSI", period: 14 }            { kind: "SMA" | "EMA", period: 50 }
//   { kind: "MACD", fast: 12, slow: 26, signal: 9, output?: "macd" | "signal" | "histogram" }
//   { kind: "BBANDS", period: 20, stdDev: 2, output?: "upper" | "middle" | "lower" | "pctB" }
//   { kind: "ATR", period: 14 }            { kind: "VOLUME_SPIKE", period: 20 } (last volume ÷ average)
//   { kind: "PRICE_CHANGE_PCT", period: N } (% change over N candles)
//   { kind: "VOLUME", period: N }          (volume summed over the last N candles)
//   { kind: "DIST_FROM_HIGH_PCT" | "DIST_FROM_LOW_PCT", days: N } (% from the N-day high / low)
//   { kind: "PRICE" }                      (the last price)
// Every spec has one canonical text form ("RSI(14)", "MACD(12,26,9).signal", "DIST_FROM_HIGH_PCT(30d)"),
// used as its key and as the label users read; it parses back to the same spec.
import { ValidationError } from "../errors.ts";

export const INDICATOR_KINDS = [
  "PRICE",
  "RSI",
  "SMA",
  "EMA",
  "MACD",
  "BBANDS",
  "ATR",
  "VOLUME_SPIKE",
  "PRICE_CHANGE_PCT",
  "VOLUME",
  "DIST_FROM_HIGH_PCT",
  "DIST_FROM_LOW_PCT",
] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

export const MACD_OUTPUTS = ["macd", "signal", "histogram"] as const;
export type MacdOutput = (typeof MACD_OUTPUTS)[number];
export const BBANDS_OUTPUTS = ["upper", "middle", "lower", "pctB"] as const;
export type BbandsOutput = (typeof BBANDS_OUTPUTS)[number];

export type IndicatorSpec =
  | { kind: "PRICE" }
  | { kind: "RSI"; period: number }
  | { kind: "SMA"; period: number }
  | { kind: "EMA"; period: number }
  | { kind: "MACD"; fast: number; slow: number; signal: number; output?: MacdOutput }
  | { kind: "BBANDS"; period: number; stdDev: number; output?: BbandsOutput }
  | { kind: "ATR"; period: number }
  | { kind: "VOLUME_SPIKE"; period: number }
  | { kind: "PRICE_CHANGE_PCT"; period: number }
  | { kind: "VOLUME"; period: number }
  | { kind: "DIST_FROM_HIGH_PCT"; days: number }
  | { kind: "DIST_FROM_LOW_PCT"; days: number };

export type MovingAverageSpec = Extract<IndicatorSpec, { kind: "SMA" | "EMA" }>;
export type MacdSpec = Extract<IndicatorSpec, { kind: "MACD" }>;
export type BbandsSpec = Extract<IndicatorSpec, { kind: "BBANDS" }>;
export type AtrSpec = Extract<IndicatorSpec, { kind: "ATR" }>;

/** Longest look-back any parameter may ask for (candles or days). */
export const MAX_PERIOD = 1000;
export const MAX_STD_DEV = 10;

/**
 * The allowed range of each look-back, per indicator: what traders use with room to spare, and
 * short enough that the candles it needs can be fetched and kept (RSI(999) would need a thousand
 * candles to say something RSI(100) already says). Every parser ends in validateIndicator, so the
 * one-line /alert, /newalert, screeners and stored configs all answer "from 2 to 100".
 */
export const PERIOD_BOUNDS = {
  RSI: { min: 2, max: 100 },
  ATR: { min: 2, max: 100 },
  VOLUME_SPIKE: { min: 2, max: 200 },
  SMA: { min: 2, max: 500 },
  EMA: { min: 2, max: 500 },
  BBANDS: { min: 2, max: 200 },
  PRICE_CHANGE_PCT: { min: 1, max: 500 },
  VOLUME: { min: 1, max: 500 },
  DAYS: { min: 1, max: 365 },
  MACD_FAST: { min: 1, max: 100 },
  MACD_SLOW: { min: 2, max: 200 },
  MACD_SIGNAL: { min: 1, max: 100 },
} as const satisfies Record<string, { min: number; max: number }>;

/** The defaults quick syntax fills in ("macd", "bb20", "rsi"). */
export const DEFAULTS = {
  RSI: 14,
  ATR: 14,
  VOLUME_SPIKE: 20,
  MACD: { fast: 12, slow: 26, signal: 9 },
  BBANDS: { period: 20, stdDev: 2 },
} as const;

export function isIndicatorKind(value: unknown): value is IndicatorKind {
  return typeof value === "string" && (INDICATOR_KINDS as readonly string[]).includes(value);
}

export function isMovingAverage(spec: IndicatorSpec): spec is MovingAverageSpec {
  return spec.kind === "SMA" || spec.kind === "EMA";
}

function record(raw: unknown, field: string): Record<string, unknown> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ValidationError(field, "error-indicator-unknown", { value: String(raw) }, [
      ...INDICATOR_KINDS,
    ]);
  }
  return raw as Record<string, unknown>;
}

/** An integer parameter within `bounds`; `field` names it and `indicator` says whose it is. */
function period(
  value: unknown,
  field: string,
  indicator: string,
  bounds: { min: number; max: number },
  fallback?: number,
): number {
  const v = value === undefined ? fallback : value;
  if (typeof v !== "number" || !Number.isInteger(v) || v < bounds.min || v > bounds.max) {
    throw new ValidationError(field, "error-indicator-period-range", {
      value: v === undefined ? "—" : String(v),
      indicator,
      min: bounds.min,
      max: Math.min(bounds.max, MAX_PERIOD),
    });
  }
  return v;
}

/**
 * Validates an indicator spec from JSON (user input or stored config) and returns it in canonical
 * form: only known keys, defaults filled in. Throws ValidationError naming the bad parameter.
 */
export function validateIndicator(raw: unknown, field = "indicator"): IndicatorSpec {
  const o = record(raw, field);
  const kind = o.kind;
  if (!isIndicatorKind(kind)) {
    throw new ValidationError(field, "error-indicator-unknown", { value: String(kind) }, [
      ...INDICATOR_KINDS,
    ]);
  }
  switch (kind) {
    case "PRICE":
      return { kind };
    case "RSI":
    case "ATR":
    case "VOLUME_SPIKE":
      return {
        kind,
        period: period(o.period, "indicatorPeriod", kind, PERIOD_BOUNDS[kind], DEFAULTS[kind]),
      };
    case "SMA":
    case "EMA":
    case "PRICE_CHANGE_PCT":
      return { kind, period: period(o.period, "indicatorPeriod", kind, PERIOD_BOUNDS[kind]) };
    case "VOLUME":
      return { kind, period: period(o.period, "indicatorPeriod", kind, PERIOD_BOUNDS[kind], 1) };
    case "DIST_FROM_HIGH_PCT":
    case "DIST_FROM_LOW_PCT":
      return { kind, days: period(o.days, "indicatorDays", kind, PERIOD_BOUNDS.DAYS) };
    case "MACD": {
      const fast = period(
        o.fast,
        "indicatorFast",
        kind,
        PERIOD_BOUNDS.MACD_FAST,
        DEFAULTS.MACD.fast,
      );
      const slow = period(
        o.slow,
        "indicatorSlow",
        kind,
        PERIOD_BOUNDS.MACD_SLOW,
        DEFAULTS.MACD.slow,
      );
      const signal = period(
        o.signal,
        "indicatorSignal",
        kind,
        PERIOD_BOUNDS.MACD_SIGNAL,
        DEFAULTS.MACD.signal,
      );
      if (fast >= slow) {
        throw new ValidationError("indicatorFast", "error-indicator-macd-order", { fast, slow });
      }
      const output = o.output ?? "macd";
      if (!(MACD_OUTPUTS as readonly unknown[]).includes(output)) {
        throw new ValidationError(
          "indicatorOutput",
          "error-indicator-output",
          { value: String(output), outputs: MACD_OUTPUTS.join(", ") },
          [...MACD_OUTPUTS],
        );
      }
      const spec: MacdSpec = { kind, fast, slow, signal };
      if (output !== "macd") spec.output = output as MacdOutput;
      return spec;
    }
    case "BBANDS": {
      const p = period(
        o.period,
        "indicatorPeriod",
        kind,
        PERIOD_BOUNDS.BBANDS,
        DEFAULTS.BBANDS.period,
      );
      const stdDev = o.stdDev ?? DEFAULTS.BBANDS.stdDev;
      if (typeof stdDev !== "number" || !(stdDev > 0 && stdDev <= MAX_STD_DEV)) {
        throw new ValidationError("indicatorStdDev", "error-indicator-std-dev", {
          value: String(stdDev),
          max: MAX_STD_DEV,
        });
      }
      const output = o.output ?? "middle";
      if (!(BBANDS_OUTPUTS as readonly unknown[]).includes(output)) {
        throw new ValidationError(
          "indicatorOutput",
          "error-indicator-output",
          { value: String(output), outputs: BBANDS_OUTPUTS.join(", ") },
          [...BBANDS_OUTPUTS],
        );
      }
      const spec: BbandsSpec = { kind, period: p, stdDev };
      if (output !== "middle") spec.output = output as BbandsOutput;
      return spec;
    }
  }
}

/** The canonical text of a spec: "RSI(14)", "MACD(12,26,9).signal", "DIST_FROM_HIGH_PCT(30d)". */
export function formatIndicator(spec: IndicatorSpec): string {
  switch (spec.kind) {
    case "PRICE":
      return "PRICE";
    case "VOLUME":
      return spec.period === 1 ? "VOLUME" : `VOLUME(${spec.period})`;
    case "MACD":
      return `MACD(${spec.fast},${spec.slow},${spec.signal})${spec.output && spec.output !== "macd" ? `.${spec.output}` : ""}`;
    case "BBANDS":
      return `BBANDS(${spec.period},${spec.stdDev})${spec.output && spec.output !== "middle" ? `.${spec.output}` : ""}`;
    case "DIST_FROM_HIGH_PCT":
    case "DIST_FROM_LOW_PCT":
      return `${spec.kind}(${spec.days}d)`;
    default:
      return `${spec.kind}(${spec.period})`;
  }
}

/** How many candles of the working interval the spec needs before it has a value. */
export function minCandles(spec: IndicatorSpec): number {
  switch (spec.kind) {
    case "PRICE":
      return 1;
    case "RSI":
    case "ATR":
    case "VOLUME_SPIKE":
    case "PRICE_CHANGE_PCT":
      return spec.period + 1;
    case "SMA":
    case "EMA":
    case "BBANDS":
    case "VOLUME":
      return spec.period;
    case "MACD":
      return spec.slow + spec.signal;
    case "DIST_FROM_HIGH_PCT":
    case "DIST_FROM_LOW_PCT":
      return 1;
  }
}

/** Daily candles the spec needs (the N-day high/low), 0 when it works on the interval alone. */
export function dailyCandles(spec: IndicatorSpec): number {
  return spec.kind === "DIST_FROM_HIGH_PCT" || spec.kind === "DIST_FROM_LOW_PCT" ? spec.days : 0;
}

/**
 * How the value reads, for rounding and display: a percentage or an oscillator (2 decimals), a
 * ratio, a price-like level, or a volume.
 */
export type ValueStyle = "percent" | "ratio" | "price" | "volume";

export function valueStyle(spec: IndicatorSpec): ValueStyle {
  switch (spec.kind) {
    case "RSI":
    case "PRICE_CHANGE_PCT":
    case "DIST_FROM_HIGH_PCT":
    case "DIST_FROM_LOW_PCT":
      return "percent";
    case "VOLUME_SPIKE":
      return "ratio";
    case "BBANDS":
      return spec.output === "pctB" ? "ratio" : "price";
    case "VOLUME":
      return "volume";
    default:
      return "price";
  }
}
