// The questions a step-by-step /strategy new asks are read from each kind's schema (defaults,
// choices, optional parameters), and each answer is checked as it is given: the parameter alone,
// rules text parsed at once, and the cross-parameter rules only once every question was asked,
// naming the parameter at fault.
import { describe, expect, it } from "vitest";
import { checkAnswer, paramQuestions, rulesTimeframe } from "../../src/strategies/param-fields.ts";

const names = (kind: Parameters<typeof paramQuestions>[0]) =>
  paramQuestions(kind).map((q) => q.name);

describe("paramQuestions", () => {
  it("asks every parameter of each kind's schema, in its order, without the kind tag", () => {
    expect(names("dca")).toEqual([
      "cron",
      "quote",
      "timeframe",
      "dipPct",
      "dipMultiplier",
      "reference",
    ]);
    expect(names("grid")).toEqual(["lower", "upper", "levels", "spacing", "quote", "timeframe"]);
    expect(names("ma-cross")).toEqual([
      "type",
      "fast",
      "slow",
      "timeframe",
      "equityPct",
      "quote",
      "stopLossPct",
      "takeProfitPct",
    ]);
    expect(names("rules")).toEqual(["source", "timeframe"]);
  });

  it("knows defaults, choices and optional parameters", () => {
    const ma = Object.fromEntries(paramQuestions("ma-cross").map((q) => [q.name, q]));
    expect(ma.type).toEqual({
      name: "type",
      optional: false,
      fallback: "SMA",
      choices: ["SMA", "EMA"],
    });
    expect(ma.fast).toMatchObject({ optional: false, fallback: "20", choices: [] });
    expect(ma.timeframe).toMatchObject({ optional: false, fallback: "1h" });
    expect(ma.stopLossPct).toMatchObject({ optional: true, fallback: null });
    const grid = Object.fromEntries(paramQuestions("grid").map((q) => [q.name, q]));
    expect(grid.lower).toMatchObject({ optional: false, fallback: null });
    expect(grid.spacing!.choices).toEqual(["ARITHMETIC", "GEOMETRIC"]);
    const rules = Object.fromEntries(paramQuestions("rules").map((q) => [q.name, q]));
    expect(rules.timeframe).toMatchObject({ optional: true, fallback: "1h" });
  });
});

describe("checkAnswer", () => {
  const none = new Set<string>();

  it("checks the parameter alone as it is answered", () => {
    expect(checkAnswer("ma-cross", {}, none, "fast", "12")).toEqual({ ok: true });
    const bad = checkAnswer("ma-cross", {}, none, "fast", "0");
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.param).toBe("fast");
    expect(bad.error.key).toBe("error-strategy-param-min");
    expect(bad.error.params).toMatchObject({ param: "fast", limit: 1, value: "0" });
    const tf = checkAnswer("grid", {}, none, "timeframe", "2h");
    expect(tf).toMatchObject({ ok: false, param: "timeframe" });
    const cron = checkAnswer("dca", {}, none, "cron", "every monday");
    expect(cron).toMatchObject({ ok: false, param: "cron" });
    // a required parameter cannot be skipped
    expect(checkAnswer("grid", {}, none, "lower", undefined)).toMatchObject({
      ok: false,
      error: { key: "error-strategy-param-required" },
    });
  });

  it("parses rules text at once, with the parser's error", () => {
    const bad = checkAnswer("rules", {}, none, "source", "buy 10% when RSX(14) < 30");
    expect(bad).toMatchObject({
      ok: false,
      param: "source",
      error: { key: "error-rules-indicator", suggestions: ["RSI(14)"] },
    });
    expect(checkAnswer("rules", {}, none, "source", "buy 10% when RSI(14) < 30")).toEqual({
      ok: true,
    });
    expect(rulesTimeframe("buy 10% when RSI(14) < 30; every 4h")).toBe("4h");
    expect(rulesTimeframe("buy 10% when RSI(14) < 30")).toBeNull();
  });

  it("waits for every question before the cross-parameter rules, then names the one at fault", () => {
    // fast 60 with slow still to come (its default is 50): not judged yet
    expect(checkAnswer("ma-cross", { type: "SMA" }, new Set(["type"]), "fast", "60")).toEqual({
      ok: true,
    });
    const asked = new Set(names("ma-cross").filter((n) => n !== "takeProfitPct"));
    const late = checkAnswer("ma-cross", { fast: "60", slow: "50" }, asked, "takeProfitPct", "8");
    expect(late).toMatchObject({
      ok: false,
      param: "fast",
      error: { key: "error-strategy-ma-order", params: { fast: 60, slow: 50 } },
    });
    const grid = checkAnswer(
      "grid",
      { lower: "100", upper: "90", levels: "10", spacing: "ARITHMETIC", quote: "50" },
      new Set(["lower", "upper", "levels", "spacing", "quote"]),
      "timeframe",
      "1h",
    );
    expect(grid).toMatchObject({ ok: false, param: "upper" });
    // a multiplier with the dip skipped: the dip is asked again
    const dca = checkAnswer(
      "dca",
      { cron: "0 9 * * 1", quote: "100", timeframe: "1h", dipMultiplier: "2" },
      new Set(["cron", "quote", "timeframe", "dipPct", "dipMultiplier"]),
      "reference",
      undefined,
    );
    expect(dca).toMatchObject({ ok: false, param: "dipPct" });
  });
});
