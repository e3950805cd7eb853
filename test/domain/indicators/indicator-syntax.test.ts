import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/domain/errors.ts";
import {
  formatIndicator,
  validateIndicator,
} from "../../../src/domain/indicators/indicator-spec.ts";
import {
  isIndicatorWord,
  parseIndicator,
} from "../../../src/domain/indicators/indicator-syntax.ts";

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.field;
    throw e;
  }
  throw new Error("no error thrown");
}

describe("indicator text", () => {
  it.each([
    ["rsi14", { kind: "RSI", period: 14 }],
    ["RSI", { kind: "RSI", period: 14 }],
    ["rsi7", { kind: "RSI", period: 7 }],
    ["sma50", { kind: "SMA", period: 50 }],
    ["ema20", { kind: "EMA", period: 20 }],
    ["macd", { kind: "MACD", fast: 12, slow: 26, signal: 9 }],
    ["bb20", { kind: "BBANDS", period: 20, stdDev: 2 }],
    ["bb", { kind: "BBANDS", period: 20, stdDev: 2 }],
    ["atr14", { kind: "ATR", period: 14 }],
    ["vol20", { kind: "VOLUME_SPIKE", period: 20 }],
    ["price", { kind: "PRICE" }],
    ["volume", { kind: "VOLUME", period: 1 }],
    ["change24", { kind: "PRICE_CHANGE_PCT", period: 24 }],
    ["RSI(14)", { kind: "RSI", period: 14 }],
    ["ema(20)", { kind: "EMA", period: 20 }],
    ["MACD(5, 35, 5).signal", { kind: "MACD", fast: 5, slow: 35, signal: 5, output: "signal" }],
    ["MACD(12,26,9).hist", { kind: "MACD", fast: 12, slow: 26, signal: 9, output: "histogram" }],
    ["BBANDS(20,2.5).upper", { kind: "BBANDS", period: 20, stdDev: 2.5, output: "upper" }],
    ["bb.pctb", { kind: "BBANDS", period: 20, stdDev: 2, output: "pctB" }],
    ["VOLUME_SPIKE(20)", { kind: "VOLUME_SPIKE", period: 20 }],
    ["PRICE_CHANGE_PCT(24)", { kind: "PRICE_CHANGE_PCT", period: 24 }],
    ["VOLUME(24)", { kind: "VOLUME", period: 24 }],
    ["DIST_FROM_HIGH_PCT(30d)", { kind: "DIST_FROM_HIGH_PCT", days: 30 }],
    ["dist_from_low_pct(52)", { kind: "DIST_FROM_LOW_PCT", days: 52 }],
  ])("%s", (text, spec) => {
    expect(parseIndicator(text)).toEqual(spec);
  });

  it("writes every spec in a canonical form that parses back to it", () => {
    for (const text of [
      "RSI(14)",
      "SMA(200)",
      "MACD(12,26,9)",
      "MACD(12,26,9).histogram",
      "BBANDS(20,2)",
      "BBANDS(20,2).lower",
      "ATR(14)",
      "VOLUME_SPIKE(20)",
      "PRICE_CHANGE_PCT(24)",
      "VOLUME",
      "VOLUME(24)",
      "DIST_FROM_HIGH_PCT(30d)",
      "PRICE",
    ]) {
      expect(formatIndicator(parseIndicator(text))).toBe(text);
    }
  });

  it.each([
    ["foo14", "indicator"],
    ["rsi1", "indicatorPeriod"],
    ["sma", "indicatorPeriod"],
    ["sma5000", "indicatorPeriod"],
    ["MACD(26,12,9)", "indicatorFast"],
    ["BBANDS(20,0)", "indicatorStdDev"],
    ["MACD(12,26,9).upper", "indicatorOutput"],
    ["DIST_FROM_HIGH_PCT", "indicatorDays"],
    ["rsi(x)", "indicator"],
    ["price5", "indicator"],
  ])("refuses %s naming %s", (text, field) => {
    expect(fieldOf(() => parseIndicator(text))).toBe(field);
  });

  it("validates JSON specs, filling defaults and dropping unknown keys", () => {
    expect(validateIndicator({ kind: "MACD" })).toEqual({
      kind: "MACD",
      fast: 12,
      slow: 26,
      signal: 9,
    });
    expect(validateIndicator({ kind: "RSI", period: 14, extra: 1 })).toEqual({
      kind: "RSI",
      period: 14,
    });
    expect(fieldOf(() => validateIndicator({ kind: "RSI", period: 14.5 }))).toBe("indicatorPeriod");
    expect(fieldOf(() => validateIndicator({ kind: "WMA", period: 14 }))).toBe("indicator");
    expect(fieldOf(() => validateIndicator("RSI"))).toBe("indicator");
  });

  it("recognizes indicator words even with bad parameters", () => {
    expect(isIndicatorWord("rsi1")).toBe(true);
    expect(isIndicatorWord("MACD(1,2,3)")).toBe(true);
    expect(isIndicatorWord("above")).toBe(false);
    expect(isIndicatorWord("70000")).toBe(false);
  });
});
