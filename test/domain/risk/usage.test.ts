// Current usage of each limit, on hand-built snapshots.
import { describe, expect, it } from "vitest";
import type { PortfolioRiskSnapshot } from "../../../src/domain/risk/risk-snapshot.ts";
import type { RiskRule } from "../../../src/domain/risk/rules.ts";
import { ruleUsage } from "../../../src/domain/risk/usage.ts";
import { BTC, ETH, d, snapshot } from "./snapshot-factory.ts";

// cash 6000, BTC 0.05 × 40,000 = 2000, ETH −1 × 2000 = −2000 (short): equity 6000, gross 4000
const held = snapshot({
  cash: "6000",
  ordersToday: 4,
  dayPnl: "-120",
  holdings: [
    { instrumentId: BTC, symbol: "BTCUSDT", quantity: "0.05", price: "40000" },
    { instrumentId: ETH, symbol: "ETHUSDT", quantity: "-1", price: "2000" },
  ],
});

describe("ruleUsage", () => {
  it.each<[RiskRule, string, PortfolioRiskSnapshot, string | null, string | null, string | null]>([
    // 4 of 10 orders
    ["maxOrdersPerDay", "10", held, "4", "40", null],
    // loss 120 of start 6120 = 1.96078…%, of a 3 % limit = 65.36…%
    ["dailyLossLimitPct", "3", held, "1.96078431", "65.35947712", null],
    // 4000 / 6000 = 0.666…, of 2 → 33.3…%
    ["maxLeverage", "2", held, "0.66666667", "33.33333333", null],
    // the largest position: 2000 of 6000 = 33.3 %, of a 50 % cap = 66.7 %
    ["maxExposurePerAssetPct", "50", held, "33.33333333", "66.66666667", "BTCUSDT"],
    ["maxExposurePerAssetAbs", "2500", held, "2000", "80", "BTCUSDT"],
    // cash 6000 of equity 6000 = 100 %; nothing above the floor is invested: 0 %
    ["minCashPct", "10", held, "100", "0", null],
    // all cash, nothing invested: (10,000 − 10,000) / (10,000 − 9000)
    ["minCashAbs", "9000", snapshot(), "10000", "0", null],
    // 4000 in positions of the 6000 − 1000 above the floor: 80 %
    [
      "minCashAbs",
      "1000",
      snapshot({
        cash: "2000",
        holdings: [{ instrumentId: BTC, symbol: "BTCUSDT", quantity: "0.1", price: "40000" }],
      }),
      "2000",
      "80",
      null,
    ],
    ["maxRiskPerTradePct", "2", held, null, null, null],
  ])("%s %s", (rule, limit, snap, observed, usedPct, symbol) => {
    const usage = ruleUsage(rule, d(limit), snap);
    if (observed === null) {
      expect(usage).toBeNull();
      return;
    }
    expect(usage!.observed.toDecimalPlaces(8).toFixed()).toBe(observed);
    expect(usage!.usedPct.toDecimalPlaces(8).toFixed()).toBe(usedPct);
    expect(usage!.symbol).toBe(symbol);
  });

  it("reports nothing for percent rules while equity is not positive", () => {
    const broke = snapshot({ cash: "0" });
    expect(ruleUsage("maxLeverage", d("2"), broke)).toBeNull();
    expect(ruleUsage("maxExposurePerAssetPct", d("20"), broke)).toBeNull();
    expect(ruleUsage("minCashPct", d("20"), broke)).toBeNull();
    expect(ruleUsage("maxOrdersPerDay", d("5"), broke)?.usedPct.toFixed()).toBe("0");
  });

  it("says 100 % or more once a limit is reached", () => {
    const over = snapshot({ ordersToday: 12 });
    expect(ruleUsage("maxOrdersPerDay", d("10"), over)?.usedPct.toFixed()).toBe("120");
  });
});
