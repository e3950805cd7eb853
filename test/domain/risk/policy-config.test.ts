// Policy configuration: what is accepted (and how it is stored), and every impossible value
// refused with a ValidationError naming the field.
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/domain/errors.ts";
import { parsePolicyConfig, toStoredConfig } from "../../../src/domain/risk/policy-config.ts";

describe("valid configurations", () => {
  it("reads limits as exact decimals (strings or JSON numbers) and stores them canonically", () => {
    const config = parsePolicyConfig({
      maxRiskPerTradePct: { limit: "1.50", action: "reduce" },
      dailyLossLimitPct: { limit: 3, action: "block", closePositions: true },
      maxOrdersPerDay: { limit: "10", action: "warn" },
      maxLeverage: { limit: "1", action: "block" },
      minCashAbs: { limit: "0.1", action: "warn", closePositions: false },
    });
    expect(config.maxRiskPerTradePct?.limit.toFixed()).toBe("1.5");
    expect(config.dailyLossLimitPct).toMatchObject({ action: "block", closePositions: true });
    expect(toStoredConfig(config)).toEqual({
      maxRiskPerTradePct: { limit: "1.5", action: "reduce" },
      dailyLossLimitPct: { limit: "3", action: "block", closePositions: true },
      maxLeverage: { limit: "1", action: "block" },
      maxOrdersPerDay: { limit: "10", action: "warn" },
      minCashAbs: { limit: "0.1", action: "warn" },
    });
  });

  it("round-trips through storage", () => {
    const stored = toStoredConfig(
      parsePolicyConfig({ maxExposurePerAssetAbs: { limit: "2500.25", action: "reduce" } }),
    );
    expect(toStoredConfig(parsePolicyConfig(JSON.parse(JSON.stringify(stored))))).toEqual(stored);
  });

  it("accepts the edges: 100 %, leverage 1, one order a day", () => {
    expect(() =>
      parsePolicyConfig({
        maxExposurePerAssetPct: { limit: "100", action: "warn" },
        maxLeverage: { limit: "1", action: "warn" },
        maxOrdersPerDay: { limit: "1", action: "warn" },
      }),
    ).not.toThrow();
  });
});

describe("impossible values", () => {
  const cases: Array<[string, unknown, string, string]> = [
    ["not an object", "3%", "config", "error-risk-config-object"],
    ["an array", [], "config", "error-risk-config-object"],
    ["no rules", {}, "config", "error-risk-no-rules"],
    [
      "an unknown rule",
      { maxDrawdown: { limit: "5", action: "warn" } },
      "config",
      "error-risk-unknown-rule",
    ],
    [
      "an unknown key in a rule",
      { maxLeverage: { limit: "2", action: "warn", note: "x" } },
      "maxLeverage",
      "error-risk-unknown-key",
    ],
    ["a rule that is not an object", { maxLeverage: 2 }, "maxLeverage", "error-risk-rule-object"],
    [
      "a missing limit",
      { maxLeverage: { action: "warn" } },
      "maxLeverage",
      "error-risk-limit-required",
    ],
    [
      "a missing action",
      { maxLeverage: { limit: "2" } },
      "maxLeverage",
      "error-risk-action-required",
    ],
    [
      "an unknown action",
      { maxLeverage: { limit: "2", action: "panic" } },
      "maxLeverage",
      "error-risk-action-invalid",
    ],
    [
      "a limit that is not a number",
      { dailyLossLimitPct: { limit: "three", action: "warn" } },
      "dailyLossLimitPct",
      "error-not-a-number",
    ],
    [
      "a limit of the wrong type",
      { dailyLossLimitPct: { limit: true, action: "warn" } },
      "dailyLossLimitPct",
      "error-not-a-number",
    ],
    [
      "an exponent",
      { dailyLossLimitPct: { limit: "1e2", action: "warn" } },
      "dailyLossLimitPct",
      "error-not-a-number",
    ],
    [
      "a negative percent",
      { maxRiskPerTradePct: { limit: "-1", action: "block" } },
      "maxRiskPerTradePct",
      "error-risk-limit-pct",
    ],
    [
      "a zero percent",
      { maxExposurePerAssetPct: { limit: "0", action: "block" } },
      "maxExposurePerAssetPct",
      "error-risk-limit-pct",
    ],
    [
      "over 100 %",
      { dailyLossLimitPct: { limit: "100.01", action: "block" } },
      "dailyLossLimitPct",
      "error-risk-limit-pct",
    ],
    [
      "a minimum cash over 100 %",
      { minCashPct: { limit: "150", action: "block" } },
      "minCashPct",
      "error-risk-limit-pct",
    ],
    [
      "a negative amount",
      { maxExposurePerAssetAbs: { limit: "-5", action: "block" } },
      "maxExposurePerAssetAbs",
      "error-must-be-positive",
    ],
    [
      "a zero cash floor",
      { minCashAbs: { limit: "0", action: "block" } },
      "minCashAbs",
      "error-must-be-positive",
    ],
    [
      "leverage below 1",
      { maxLeverage: { limit: "0.5", action: "block" } },
      "maxLeverage",
      "error-risk-limit-leverage",
    ],
    [
      "absurd leverage",
      { maxLeverage: { limit: "1000", action: "block" } },
      "maxLeverage",
      "error-risk-limit-leverage",
    ],
    [
      "a fractional order count",
      { maxOrdersPerDay: { limit: "2.5", action: "block" } },
      "maxOrdersPerDay",
      "error-risk-limit-whole",
    ],
    [
      "zero orders a day",
      { maxOrdersPerDay: { limit: 0, action: "block" } },
      "maxOrdersPerDay",
      "error-risk-limit-count",
    ],
    [
      "too many decimals",
      { maxRiskPerTradePct: { limit: "0.123456789", action: "block" } },
      "maxRiskPerTradePct",
      "error-too-many-decimals",
    ],
    [
      "reduce on a rule the order size cannot fix",
      { dailyLossLimitPct: { limit: "3", action: "reduce" } },
      "dailyLossLimitPct",
      "error-risk-reduce-not-applicable",
    ],
    [
      "reduce on the order count",
      { maxOrdersPerDay: { limit: "3", action: "reduce" } },
      "maxOrdersPerDay",
      "error-risk-reduce-not-applicable",
    ],
    [
      "closing positions on a rule the watch does not close for",
      { maxLeverage: { limit: "2", action: "block", closePositions: true } },
      "maxLeverage",
      "error-risk-close-not-applicable",
    ],
    [
      "closePositions that is not a boolean",
      { dailyLossLimitPct: { limit: "2", action: "block", closePositions: "yes" } },
      "dailyLossLimitPct",
      "error-risk-close-flag",
    ],
    [
      "two cash floors",
      { minCashPct: { limit: "10", action: "warn" }, minCashAbs: { limit: "100", action: "warn" } },
      "minCashAbs",
      "error-risk-min-cash-one-of",
    ],
  ];

  it.each(cases)("%s", (_name, input, field, key) => {
    let error: unknown;
    try {
      parsePolicyConfig(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field, key });
  });

  it("gives the range and the value to the message", () => {
    expect(() =>
      parsePolicyConfig({ dailyLossLimitPct: { limit: "120", action: "warn" } }),
    ).toThrow(
      expect.objectContaining({
        params: expect.objectContaining({ value: "120", min: "0", max: "100" }),
      }),
    );
  });
});
