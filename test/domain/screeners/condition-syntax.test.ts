import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/domain/errors.ts";
import { parseCondition, parseSort } from "../../../src/domain/screeners/condition-syntax.ts";
import {
  formatCondition,
  validateScreenerConfig,
} from "../../../src/domain/screeners/screener-config.ts";

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.field;
    throw e;
  }
  throw new Error("accepted");
}

describe("screener condition text", () => {
  it.each([
    ["RSI(14) < 30", "RSI(14) < 30"],
    ["rsi14<30", "RSI(14) < 30"],
    ["EMA(20) > EMA(50)", "EMA(20) > EMA(50)"],
    ["ema20 >= sma50", "EMA(20) >= SMA(50)"],
    ["PRICE_CHANGE_PCT(24) > 5", "PRICE_CHANGE_PCT(24) > 5"],
    ["change24 > 5%", "PRICE_CHANGE_PCT(24) > 5"],
    ["VOLUME_SPIKE(20) ≥ 2", "VOLUME_SPIKE(20) >= 2"],
    ["DIST_FROM_HIGH_PCT(30d) < 5", "DIST_FROM_HIGH_PCT(30d) < 5"],
    ["price > 100.5", "PRICE > 100.5"],
    ["BBANDS(20,2).pctB =< 0,1", "BBANDS(20,2).pctB <= 0.1"],
    ["MACD(12,26,9) > MACD(12,26,9).signal", "MACD(12,26,9) > MACD(12,26,9).signal"],
  ])("%s", (text, canonical) => {
    expect(formatCondition(parseCondition(text))).toBe(canonical);
  });

  it.each([
    ["RSI(14) 30", "screenerCondition"],
    ["30 < RSI(14)", "screenerCondition"],
    ["WMA(14) < 30", "indicator"],
    ["RSI(1) < 30", "indicatorPeriod"],
    ["RSI(14) < lots", "indicator"],
  ])("refuses %s naming %s", (text, field) => {
    expect(fieldOf(() => parseCondition(text))).toBe(field);
  });

  it("parses sort keys with an optional order", () => {
    expect(parseSort("RSI(14) asc")).toEqual({ by: { kind: "RSI", period: 14 }, order: "asc" });
    expect(parseSort("change24")).toEqual({
      by: { kind: "PRICE_CHANGE_PCT", period: 24 },
      order: "desc",
    });
    expect(fieldOf(() => parseSort("asc"))).toBe("screenerSort");
  });

  it("validates whole configs naming the field", () => {
    const ok = {
      universe: { kind: "ASSET_TYPE", assetType: "crypto" },
      interval: "1h",
      conditions: [{ left: { kind: "RSI", period: 14 }, op: "<", right: 30 }],
      sort: { by: { kind: "RSI", period: 14 }, order: "asc" },
      limit: 5,
    };
    expect(validateScreenerConfig(ok).universe).toEqual({
      kind: "ASSET_TYPE",
      assetType: "CRYPTO",
    });
    expect(fieldOf(() => validateScreenerConfig({ ...ok, interval: "2h" }))).toBe("candleInterval");
    expect(fieldOf(() => validateScreenerConfig({ ...ok, limit: 0 }))).toBe("screenerLimit");
    expect(fieldOf(() => validateScreenerConfig({ ...ok, limit: 51 }))).toBe("screenerLimit");
    expect(
      fieldOf(() =>
        validateScreenerConfig({ ...ok, universe: { kind: "ASSET_TYPE", assetType: "BONDS" } }),
      ),
    ).toBe("screenerAssetType");
    expect(
      fieldOf(() => validateScreenerConfig({ ...ok, universe: { kind: "SYMBOLS", symbols: [] } })),
    ).toBe("screenerSymbols");
    expect(fieldOf(() => validateScreenerConfig({ ...ok, universe: { kind: "PLANET" } }))).toBe(
      "screenerUniverse",
    );
    expect(
      fieldOf(() =>
        validateScreenerConfig({ ...ok, conditions: [{ left: 1, op: "<", right: 2 }] }),
      ),
    ).toBe("screenerCondition");
    expect(
      fieldOf(() =>
        validateScreenerConfig({
          ...ok,
          conditions: [{ left: { kind: "RSI" }, op: "==", right: 2 }],
        }),
      ),
    ).toBe("screenerCondition");
    expect(
      fieldOf(() => validateScreenerConfig({ ...ok, sort: { by: { kind: "RSI" }, order: "up" } })),
    ).toBe("screenerSort");
    expect(
      fieldOf(() =>
        validateScreenerConfig({ ...ok, conditions: Array(11).fill(ok.conditions[0]) }),
      ),
    ).toBe("screenerCondition");
  });
});
