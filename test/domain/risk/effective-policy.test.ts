// Strictest wins: the merge of USER, PORTFOLIO and STRATEGY policies, rule by rule.
import { describe, expect, it } from "vitest";
import { mergePolicies } from "../../../src/domain/risk/effective-policy.ts";
import { parsePolicyConfig } from "../../../src/domain/risk/policy-config.ts";
import type { RiskRule, RuleAction } from "../../../src/domain/risk/rules.ts";

type Spec = [limit: string, action: RuleAction, close?: boolean];

const policy = (id: number, rules: Partial<Record<RiskRule, Spec>>) => ({
  id,
  config: parsePolicyConfig(
    Object.fromEntries(
      Object.entries(rules).map(([rule, [limit, action, close]]) => [
        rule,
        { limit, action, ...(close ? { closePositions: true } : {}) },
      ]),
    ),
  ),
});

describe("mergePolicies", () => {
  it.each<
    [
      string,
      RiskRule,
      Array<ReturnType<typeof policy>>,
      { limit: string; action: RuleAction; policyId: number; close?: boolean },
    ]
  >([
    [
      "one policy: as is",
      "maxLeverage",
      [policy(1, { maxLeverage: ["2", "warn"] })],
      { limit: "2", action: "warn", policyId: 1 },
    ],
    [
      "a cap: the lowest limit, the harshest action from anyone",
      "maxRiskPerTradePct",
      [
        policy(1, { maxRiskPerTradePct: ["2", "warn"] }),
        policy(2, { maxRiskPerTradePct: ["5", "block"] }),
      ],
      { limit: "2", action: "block", policyId: 1 },
    ],
    [
      "reduce beats warn, block beats reduce",
      "maxExposurePerAssetPct",
      [
        policy(3, { maxExposurePerAssetPct: ["30", "reduce"] }),
        policy(4, { maxExposurePerAssetPct: ["20", "warn"] }),
      ],
      { limit: "20", action: "reduce", policyId: 4 },
    ],
    [
      "a cash floor: the highest floor is the strictest",
      "minCashAbs",
      [policy(1, { minCashAbs: ["500", "block"] }), policy(2, { minCashAbs: ["1500", "warn"] })],
      { limit: "1500", action: "block", policyId: 2 },
    ],
    [
      "equal limits: the older policy binds",
      "maxOrdersPerDay",
      [
        policy(9, { maxOrdersPerDay: ["10", "warn"] }),
        policy(5, { maxOrdersPerDay: ["10", "block"] }),
      ],
      { limit: "10", action: "block", policyId: 5 },
    ],
    [
      "closing positions: anyone asking is enough",
      "dailyLossLimitPct",
      [
        policy(1, { dailyLossLimitPct: ["2", "block"] }),
        policy(2, { dailyLossLimitPct: ["5", "warn", true] }),
      ],
      { limit: "2", action: "block", policyId: 1, close: true },
    ],
  ])("%s", (_name, rule, policies, expected) => {
    const merged = mergePolicies(policies)[rule]!;
    expect(merged.limit.toFixed()).toBe(expected.limit);
    expect(merged.action).toBe(expected.action);
    expect(merged.policyId).toBe(expected.policyId);
    expect(merged.closePositions).toBe(expected.close ?? false);
    expect([...merged.policyIds].sort()).toEqual(policies.map((p) => p.id).sort());
  });

  it("keeps rules that only one policy sets, and only those", () => {
    const merged = mergePolicies([
      policy(1, { maxLeverage: ["2", "warn"] }),
      policy(2, { maxOrdersPerDay: ["5", "block"] }),
    ]);
    expect(Object.keys(merged).sort()).toEqual(["maxLeverage", "maxOrdersPerDay"]);
    expect(merged.maxLeverage?.policyId).toBe(1);
    expect(merged.maxOrdersPerDay?.policyId).toBe(2);
  });

  it("is empty without policies", () => {
    expect(mergePolicies([])).toEqual({});
  });

  it("does not depend on the order the policies come in", () => {
    const a = policy(1, { maxLeverage: ["3", "block"], minCashPct: ["10", "warn"] });
    const b = policy(2, { maxLeverage: ["2", "warn"], minCashPct: ["20", "reduce"] });
    const c = policy(3, { maxLeverage: ["2.5", "reduce"] });
    const one = mergePolicies([a, b, c]);
    const other = mergePolicies([c, b, a]);
    expect(one).toEqual(other);
    expect(one.maxLeverage).toMatchObject({ action: "block", policyId: 2 });
    expect(one.minCashPct).toMatchObject({ action: "reduce", policyId: 2 });
  });
});
