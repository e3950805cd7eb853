// Indicators as people type them. Two forms, case-insensitive:
//   quick:     rsi14  rsi  sma50  ema20  macd  bb20  bb  atr14  atr  vol20  vol  price  volume
//   canonical: RSI(14)  SMA(50)  MACD(12,26,9).signal  BBANDS(20,2).upper  ATR(14)
//              VOLUME_SPIKE(20)  PRICE_CHANGE_PCT(24)  VOLUME(24)  DIST_FROM_HIGH_PCT(30d)
// Both give a validated IndicatorSpec; anything else is a ValidationError on "indicator".
import { ValidationError } from "../errors.ts";
import {
  DEFAULTS,
  INDICATOR_KINDS,
  type IndicatorKind,
  type IndicatorSpec,
  validateIndicator,
} from "./indicator-spec.ts";

/** Other names people use for the same indicator. */
const ALIASES: Record<string, IndicatorKind> = {
  PRICE: "PRICE",
  CLOSE: "PRICE",
  LAST: "PRICE",
  RSI: "RSI",
  SMA: "SMA",
  MA: "SMA",
  EMA: "EMA",
  MACD: "MACD",
  BB: "BBANDS",
  BBANDS: "BBANDS",
  BOLL: "BBANDS",
  ATR: "ATR",
  VOL: "VOLUME_SPIKE",
  VOLUME_SPIKE: "VOLUME_SPIKE",
  VOLSPIKE: "VOLUME_SPIKE",
  RVOL: "VOLUME_SPIKE",
  VOLUME: "VOLUME",
  CHANGE: "PRICE_CHANGE_PCT",
  CHG: "PRICE_CHANGE_PCT",
  PRICE_CHANGE_PCT: "PRICE_CHANGE_PCT",
  DIST_FROM_HIGH_PCT: "DIST_FROM_HIGH_PCT",
  FROM_HIGH: "DIST_FROM_HIGH_PCT",
  DIST_FROM_LOW_PCT: "DIST_FROM_LOW_PCT",
  FROM_LOW: "DIST_FROM_LOW_PCT",
};

const QUICK = /^([a-z_]+?)(\d+)?$/i;
const CANONICAL = /^([a-z_]+)\s*\(([^)]*)\)\s*(?:\.\s*([a-z]+))?$/i;
const OUTPUT_ONLY = /^([a-z_]+)\s*\.\s*([a-z]+)$/i;

function unknown(text: string): never {
  throw new ValidationError("indicator", "error-indicator-unknown", { value: text }, [
    "rsi14",
    "sma50",
    "ema20",
    "macd",
    "bb20",
    "atr14",
    "vol20",
  ]);
}

function integer(text: string | undefined, original: string): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const t = text.trim().replace(/d$/i, "");
  if (!/^\d{1,6}$/.test(t)) unknown(original);
  return Number(t);
}

function number(text: string | undefined, original: string): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const t = text.trim().replace(",", ".");
  if (!/^\d{1,3}(\.\d{1,4})?$/.test(t)) unknown(original);
  return Number(t);
}

/** Normalizes the output name typed after a dot ("pctb", "hist", "up"). */
function outputName(kind: IndicatorKind, text: string | undefined): string | undefined {
  if (!text) return undefined;
  const t = text.toLowerCase();
  if (kind === "MACD") return t === "hist" ? "histogram" : t === "line" ? "macd" : t;
  if (kind === "BBANDS") {
    if (t === "pctb" || t === "percentb" || t === "b") return "pctB";
    if (t === "up" || t === "top") return "upper";
    if (t === "low" || t === "bottom") return "lower";
    if (t === "mid" || t === "basis") return "middle";
  }
  return t;
}

/** Builds the raw spec from a kind and its positional arguments, then validates it. */
function build(
  kind: IndicatorKind,
  args: string[],
  output: string | undefined,
  original: string,
): IndicatorSpec {
  const [a, b, c] = args;
  switch (kind) {
    case "PRICE":
      if (args.some((x) => x.trim())) unknown(original);
      return validateIndicator({ kind });
    case "MACD":
      return validateIndicator({
        kind,
        fast: integer(a, original),
        slow: integer(b, original),
        signal: integer(c, original),
        output: outputName(kind, output),
      });
    case "BBANDS":
      return validateIndicator({
        kind,
        period: integer(a, original),
        stdDev: number(b, original),
        output: outputName(kind, output),
      });
    case "DIST_FROM_HIGH_PCT":
    case "DIST_FROM_LOW_PCT":
      return validateIndicator({ kind, days: integer(a, original) });
    default:
      if (args.length > 1 || output) unknown(original);
      return validateIndicator({ kind, period: integer(a, original) });
  }
}

/** Parses "rsi14", "RSI(14)", "macd", "BBANDS(20,2).upper", "DIST_FROM_HIGH_PCT(30d)", ... */
export function parseIndicator(text: string): IndicatorSpec {
  const original = text.trim();
  const compact = original.replace(/\s+/g, "");
  const canonical = compact.match(CANONICAL);
  if (canonical) {
    const kind = ALIASES[canonical[1]!.toUpperCase()];
    if (!kind) unknown(original);
    return build(kind, canonical[2]!.split(","), canonical[3], original);
  }
  const dotted = compact.match(OUTPUT_ONLY);
  if (dotted) {
    const kind = ALIASES[dotted[1]!.toUpperCase()];
    if (kind !== "MACD" && kind !== "BBANDS") unknown(original);
    return build(kind, [], dotted[2], original);
  }
  const quick = compact.match(QUICK);
  if (!quick) unknown(original);
  const kind = ALIASES[quick[1]!.toUpperCase()];
  if (!kind) unknown(original);
  const n = quick[2];
  // quick forms: one number is the period; "vol" alone is the 20-candle spike, "volume" the last
  // candle's volume
  switch (kind) {
    case "MACD":
      if (n) unknown(original);
      return validateIndicator({ kind, ...DEFAULTS.MACD });
    case "BBANDS":
      return validateIndicator({
        kind,
        period: n ? Number(n) : DEFAULTS.BBANDS.period,
        stdDev: DEFAULTS.BBANDS.stdDev,
      });
    case "DIST_FROM_HIGH_PCT":
    case "DIST_FROM_LOW_PCT":
      return validateIndicator({ kind, days: n ? Number(n) : undefined });
    case "PRICE":
      if (n) unknown(original);
      return validateIndicator({ kind });
    default:
      return validateIndicator({ kind, period: n ? Number(n) : undefined });
  }
}

/**
 * True when the text names an indicator (even with bad parameters, so the caller can let
 * parseIndicator explain what is wrong with "rsi1" instead of calling it an unknown word).
 */
export function isIndicatorWord(text: string): boolean {
  const compact = text.trim().replace(/\s+/g, "");
  const name = (compact.match(CANONICAL) ??
    compact.match(OUTPUT_ONLY) ??
    compact.match(QUICK))?.[1];
  return name !== undefined && ALIASES[name.toUpperCase()] !== undefined;
}

export { INDICATOR_KINDS };
