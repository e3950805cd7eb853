// The compound annual growth rate a backtest reports (src/strategies/backtest/metrics.ts), against
// figures worked out by hand.
import { describe, expect, it } from "vitest";
import { dec } from "../../../src/lib/decimal.ts";
import { cagrPercent } from "../../../src/strategies/backtest/metrics.ts";

const YEAR_MS = 365.25 * 86_400_000;

describe("cagrPercent", () => {
  it("compounds the growth over the years of the span", () => {
    // twice the money in two years: √2 − 1 a year
    expect(
      cagrPercent(dec(2), 2 * YEAR_MS)
        .toDecimalPlaces(16)
        .toFixed(),
    ).toBe("41.4213562373095049");
    // 21 % in half a year: 1.21² − 1 a year, exactly
    expect(cagrPercent(dec("1.21"), YEAR_MS / 2).toFixed()).toBe("46.41");
    // half the money in one year, and nothing over a year
    expect(cagrPercent(dec("0.5"), YEAR_MS).toFixed()).toBe("-50");
    expect(cagrPercent(dec(1), 3 * YEAR_MS).toFixed()).toBe("0");
  });

  it("is −100 % when nothing (or less) is left", () => {
    expect(cagrPercent(dec(0), YEAR_MS).toFixed()).toBe("-100");
    expect(cagrPercent(dec("-0.5"), YEAR_MS).toFixed()).toBe("-100");
  });
});
