// Pre-trade evaluation, rule by rule, on hand-built snapshots: cash 10,000 USDT unless a row says
// otherwise, an ETH buy of 1 at 2,000 (notional 2,000). Each row's expected numbers are worked out
// by hand in its comment.
import { describe, expect, it } from "vitest";
import { type EffectivePolicy, mergePolicies } from "../../../src/domain/risk/effective-policy.ts";
import { parsePolicyConfig } from "../../../src/domain/risk/policy-config.ts";
import {
  type OrderForRisk,
  type RiskOutcome,
  evaluatePreTrade,
} from "../../../src/domain/risk/pre-trade-rules.ts";
import type { PortfolioRiskSnapshot } from "../../../src/domain/risk/risk-snapshot.ts";
import type { RiskRule } from "../../../src/domain/risk/rules.ts";
import { BTC, ETH, ETH_RULES, d, snapshot } from "./snapshot-factory.ts";

function policy(config: unknown): EffectivePolicy {
  return mergePolicies([{ id: 7, config: parsePolicyConfig(config) }]);
}

function order(over: Partial<OrderForRisk> = {}): OrderForRisk {
  return {
    instrumentId: ETH,
    symbol: "ETHUSDT",
    currency: "USDT",
    side: "BUY",
    quantity: d("1"),
    referencePrice: d("2000"),
    ...over,
  };
}

const rule = (name: RiskRule, limit: string, action = "block") => ({
  [name]: { limit, action },
});

interface Row {
  name: string;
  config: Record<string, unknown>;
  snap?: PortfolioRiskSnapshot;
  order?: Partial<OrderForRisk>;
  stop?: string;
  status: "PASS" | "BREACH" | "SKIPPED";
  observed: string | null;
  /** the rule's own cap on the quantity (size-driven rules) */
  maxQuantity?: string | null;
  numbers?: Record<string, string>;
}

describe("each rule on its own", () => {
  const rows: Row[] = [
    // risk = 1 × 2000 = 2000 → 20 % of 10,000; room 10 % × 10,000 / 2000 = 0.5
    {
      name: "risk per trade without a stop: the notional",
      config: rule("maxRiskPerTradePct", "10"),
      status: "BREACH",
      observed: "20",
      maxQuantity: "0.5",
      numbers: { risk: "2000", perUnitRisk: "2000", equity: "10000" },
    },
    // risk = 1 × |2000 − 1900| = 100 → 1 %; room 1000 / 100 = 10
    {
      name: "risk per trade with a stop",
      config: rule("maxRiskPerTradePct", "10"),
      stop: "1900",
      status: "PASS",
      observed: "1",
      maxQuantity: "10",
      numbers: { risk: "100", perUnitRisk: "100", stop: "1900" },
    },
    // after: 1 × 2000 = 2000 → 20 % > 15 %; room 1500 / 2000 = 0.75
    {
      name: "exposure per asset in percent",
      config: rule("maxExposurePerAssetPct", "15"),
      status: "BREACH",
      observed: "20",
      maxQuantity: "0.75",
      numbers: { valueAfter: "2000" },
    },
    // holding 0.5 (cash 9000 + 1000 = 10,000): after 1.5 × 2000 = 3000 → 30 %; room 0.75 − 0.5
    {
      name: "exposure per asset adds to the position held",
      config: rule("maxExposurePerAssetPct", "15"),
      snap: snapshot({
        cash: "9000",
        holdings: [{ instrumentId: ETH, symbol: "ETHUSDT", quantity: "0.5", price: "2000" }],
      }),
      status: "BREACH",
      observed: "30",
      maxQuantity: "0.25",
    },
    {
      name: "exposure per asset as an amount",
      config: rule("maxExposurePerAssetAbs", "1500"),
      status: "BREACH",
      observed: "2000",
      maxQuantity: "0.75",
    },
    {
      name: "exposure per asset within the cap",
      config: rule("maxExposurePerAssetAbs", "2000"),
      status: "PASS",
      observed: "2000",
      maxQuantity: "1",
    },
    // BTC 5000 held (cash 5000): gross after 5000 + 2000 = 7000 → 0.7 of 10,000
    {
      name: "leverage within the cap",
      config: rule("maxLeverage", "1"),
      snap: snapshot({
        cash: "5000",
        holdings: [{ instrumentId: BTC, symbol: "BTCUSDT", quantity: "0.1", price: "50000" }],
      }),
      status: "PASS",
      observed: "0.7",
      maxQuantity: "2.5",
      numbers: { grossAfter: "7000", equity: "10000" },
    },
    // 3 ETH: 5000 + 6000 = 11,000 → 1.1; room (10,000 − 5000) / 2000 = 2.5
    {
      name: "leverage over the cap",
      config: rule("maxLeverage", "1"),
      snap: snapshot({
        cash: "5000",
        holdings: [{ instrumentId: BTC, symbol: "BTCUSDT", quantity: "0.1", price: "50000" }],
      }),
      order: { quantity: d("3") },
      status: "BREACH",
      observed: "1.1",
      maxQuantity: "2.5",
    },
    // equity 10,000, day PnL −400 → start 10,400; 400 / 10,400 = 3.846153846…%
    {
      name: "daily loss over the limit",
      config: rule("dailyLossLimitPct", "3"),
      snap: snapshot({ dayPnl: "-400" }),
      status: "BREACH",
      observed: "3.84615385",
      numbers: { loss: "400", dayPnl: "-400", dayStartEquity: "10400" },
    },
    // 300 / 10,300 = 2.91 %
    {
      name: "daily loss under the limit",
      config: rule("dailyLossLimitPct", "3"),
      snap: snapshot({ dayPnl: "-300" }),
      status: "PASS",
      observed: "2.91262136",
    },
    // a deposit today is not profit: equity 10,000 after +5000 deposited and −600 lost →
    // start 5,600; loss 600 / 5600 = 10.71 %
    {
      name: "daily loss ignores today's deposits",
      config: rule("dailyLossLimitPct", "10"),
      snap: snapshot({ dayPnl: "-600", dayFlows: "5000" }),
      status: "BREACH",
      observed: "10.71428571",
      numbers: { dayStartEquity: "5600" },
    },
    {
      name: "orders per day: the next one is over",
      config: rule("maxOrdersPerDay", "3"),
      snap: snapshot({ ordersToday: 3 }),
      status: "BREACH",
      observed: "4",
      numbers: { ordersToday: "3" },
    },
    {
      name: "orders per day: the last one allowed",
      config: rule("maxOrdersPerDay", "3"),
      snap: snapshot({ ordersToday: 2 }),
      status: "PASS",
      observed: "3",
    },
    // cash after 10,000 − 2000 = 8000 → 80 % < 85 %; room (10,000 − 8500) / 2000 = 0.75
    {
      name: "minimum cash in percent",
      config: rule("minCashPct", "85"),
      status: "BREACH",
      observed: "80",
      maxQuantity: "0.75",
      numbers: { cash: "10000", cashAfter: "8000" },
    },
    {
      name: "minimum cash as an amount",
      config: rule("minCashAbs", "9000"),
      status: "BREACH",
      observed: "8000",
      maxQuantity: "0.5",
    },
    {
      name: "minimum cash does not apply to a sell",
      config: rule("minCashAbs", "9000"),
      order: { side: "SELL" },
      status: "SKIPPED",
      observed: null,
    },
  ];

  it.each(rows)("$name", (row) => {
    const result = evaluatePreTrade({
      order: order(row.order),
      snapshot: row.snap ?? snapshot(),
      policy: policy(row.config),
      rules: ETH_RULES,
      protectiveStop: row.stop ? d(row.stop) : null,
    });
    expect(result.checks).toHaveLength(1);
    const check = result.checks[0]!;
    expect(check.status).toBe(row.status);
    expect(check.observed).toBe(row.observed);
    expect(check.policyId).toBe(7);
    if (row.maxQuantity !== undefined) expect(check.maxQuantity).toBe(row.maxQuantity);
    if (row.numbers) expect(check.numbers).toMatchObject(row.numbers);
    expect(result.outcome).toBe(row.status === "BREACH" ? "BLOCK" : "ALLOW");
  });
});

describe("outcomes", () => {
  const evaluate = (
    config: unknown,
    over: Partial<OrderForRisk> = {},
    snap: PortfolioRiskSnapshot = snapshot(),
  ) =>
    evaluatePreTrade({
      order: order(over),
      snapshot: snap,
      policy: policy(config),
      rules: ETH_RULES,
    });

  it.each<[string, unknown, RiskOutcome, string | null]>([
    ["nothing breached", rule("maxExposurePerAssetPct", "50"), "ALLOW", null],
    ["a warn rule", rule("maxExposurePerAssetPct", "15", "warn"), "WARN", null],
    ["a reduce rule", rule("maxExposurePerAssetPct", "15", "reduce"), "REDUCE", "0.75"],
    [
      "two reduce rules: the smaller room wins (0.5 vs 0.75)",
      {
        ...rule("maxExposurePerAssetPct", "15", "reduce"),
        ...rule("maxRiskPerTradePct", "10", "reduce"),
      },
      "REDUCE",
      "0.5",
    ],
    [
      "reduce and warn: reduced, the warning stays",
      {
        ...rule("maxExposurePerAssetPct", "15", "reduce"),
        ...rule("maxRiskPerTradePct", "10", "warn"),
      },
      "REDUCE",
      "0.75",
    ],
    [
      "reduce and block: blocked",
      {
        ...rule("maxExposurePerAssetPct", "15", "reduce"),
        ...rule("maxExposurePerAssetAbs", "100", "block"),
      },
      "BLOCK",
      null,
    ],
    // room 0.333… floored to the lot: 0.33
    [
      "the reduced size sits on the lot grid",
      rule("minCashAbs", "9333.33", "reduce"),
      "REDUCE",
      "0.33",
    ],
    // room 0.004 < the minimum quantity 0.01
    ["no size fits: blocked", rule("maxExposurePerAssetAbs", "8", "reduce"), "BLOCK", null],
  ])("%s", (_name, config, outcome, maxQuantity) => {
    const result = evaluate(config);
    expect(result.outcome).toBe(outcome);
    expect(result.maxQuantity).toBe(maxQuantity);
  });

  it("reports a warn rule breached next to a reduction", () => {
    const result = evaluate({
      ...rule("maxExposurePerAssetPct", "15", "reduce"),
      ...rule("maxRiskPerTradePct", "10", "warn"),
    });
    expect(result.checks.map((c) => [c.rule, c.status, c.action])).toEqual([
      ["maxRiskPerTradePct", "BREACH", "warn"],
      ["maxExposurePerAssetPct", "BREACH", "reduce"],
    ]);
  });

  it("marks a reduce rule that could not reduce as blocking, with the reason", () => {
    const result = evaluate(rule("maxExposurePerAssetAbs", "8", "reduce"));
    expect(result.checks[0]).toMatchObject({
      status: "BREACH",
      action: "block",
      reason: "reduce-too-small",
    });
  });

  it("never stops an order that only reduces a position, even past the daily loss limit", () => {
    const held = snapshot({
      cash: "6000",
      dayPnl: "-5000",
      ordersToday: 50,
      holdings: [{ instrumentId: ETH, symbol: "ETHUSDT", quantity: "2", price: "2000" }],
    });
    const result = evaluate(
      {
        ...rule("dailyLossLimitPct", "1"),
        ...rule("maxOrdersPerDay", "5"),
        ...rule("maxExposurePerAssetAbs", "10"),
      },
      { side: "SELL", quantity: d("2") },
      held,
    );
    expect(result.outcome).toBe("ALLOW");
    expect(
      result.checks.every((c) => c.status === "SKIPPED" && c.reason === "reduces-position"),
    ).toBe(true);
    expect(result.effect).toMatchObject({
      positionBefore: "2",
      positionAfter: "0",
      closingQuantity: "2",
      openingQuantity: "0",
    });
  });

  it("measures only the new side of a flip, and keeps the closing part when reducing", () => {
    // long 0.5, sell 2: closes 0.5, opens a 1.5 short → |−1.5| × 2000 = 3000 → 30 %
    const held = snapshot({
      cash: "9000",
      holdings: [{ instrumentId: ETH, symbol: "ETHUSDT", quantity: "0.5", price: "2000" }],
    });
    const result = evaluate(
      rule("maxExposurePerAssetPct", "15", "reduce"),
      { side: "SELL", quantity: d("2") },
      held,
    );
    expect(result.checks[0]).toMatchObject({ status: "BREACH", observed: "30" });
    expect(result.effect).toMatchObject({ closingQuantity: "0.5", openingQuantity: "1.5" });
    // 0.5 to close + 0.75 new short = 1.25
    expect(result).toMatchObject({ outcome: "REDUCE", maxQuantity: "1.25" });
  });

  it("skips size rules for an order in another currency, but still applies the daily loss", () => {
    const result = evaluate(
      { ...rule("maxExposurePerAssetAbs", "10"), ...rule("dailyLossLimitPct", "3") },
      { currency: "USD", symbol: "AAPL" },
      snapshot({ dayPnl: "-1000" }),
    );
    const [exposure, loss] = result.checks;
    expect(exposure).toMatchObject({ status: "SKIPPED", reason: "currency-mismatch" });
    expect(exposure!.numbers).toEqual({ orderCurrency: "USD", portfolioCurrency: "USDT" });
    expect(loss).toMatchObject({ rule: "dailyLossLimitPct", status: "BREACH" });
    expect(result.outcome).toBe("BLOCK");
  });

  it("treats percent-of-equity rules as breached when equity is not positive", () => {
    const result = evaluate(rule("maxExposurePerAssetPct", "50"), {}, snapshot({ cash: "0" }));
    expect(result.checks[0]).toMatchObject({
      status: "BREACH",
      observed: null,
      reason: "no-equity",
    });
    expect(result.outcome).toBe("BLOCK");
  });

  it("allows everything when no rule is set", () => {
    expect(
      evaluatePreTrade({ order: order(), snapshot: snapshot(), policy: {}, rules: ETH_RULES }),
    ).toMatchObject({ outcome: "ALLOW", checks: [] });
  });
});
