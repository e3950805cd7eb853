// Rules written in chat: the grammar, every mistake it explains (in English and Russian), and
// what the parsed rules do candle by candle.
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/lib/decimal.ts";
import { ValidationError } from "../../src/domain/errors.ts";
import { createI18n, translatorFor } from "../../src/bot/i18n.ts";
import { describeDomainError } from "../../src/bot/errors.ts";
import { parseRules, rulesLookback } from "../../src/strategies/kinds/rules-syntax.ts";
import { rules } from "../../src/strategies/kinds/rules.ts";
import {
  canonicalParams,
  parseStoredParams,
  storedWithTimeframe,
} from "../../src/strategies/params.ts";
import { strategyDefinition } from "../../src/strategies/registry.ts";
import { candlesOf, runStrategy, summary } from "./strategy-harness.ts";

const i18n = createI18n("en");
const en = translatorFor(i18n, "en");
const ru = translatorFor(i18n, "ru");

function errorOf(source: string): ValidationError {
  try {
    parseRules(source);
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error(`expected a ValidationError for ${source}`);
}

describe("rules syntax", () => {
  it("parses the example from the help", () => {
    const program = parseRules(
      "buy 10% when RSI(14) < 30 and close > SMA(200); sell all when RSI(14) > 70; stop 3%; take 8%",
    );
    expect(program.stopLossPct).toEqual(new Decimal(3));
    expect(program.takeProfitPct).toEqual(new Decimal(8));
    expect(program.timeframe).toBeNull();
    expect(program.rules).toHaveLength(2);
    expect(program.rules[0]).toMatchObject({
      action: "buy",
      size: { kind: "equity-pct", value: new Decimal(10) },
      statement: 1,
      when: [
        [
          { left: { indicator: { kind: "RSI", period: 14 } }, op: "<", right: { number: 30 } },
          {
            left: { indicator: { kind: "PRICE" } },
            op: ">",
            right: { indicator: { kind: "SMA", period: 200 } },
          },
        ],
      ],
    });
    expect(program.rules[1]).toMatchObject({ action: "sell", size: { kind: "all" }, statement: 2 });
    expect(rulesLookback(program)).toBe(401);
  });

  it("reads every size, new lines, or-groups, quick indicators and the timeframe", () => {
    const program = parseRules(
      "every 4h\nbuy 100 USDT when rsi14 < 30 or ema20 > ema50 and close>=bb.upper\nsell 0.5 when rsi > 70\nsell 50$ when price < 10\nbuy $25 when macd.signal <= 0; sell 5% when atr14 > 3",
    );
    expect(program.timeframe).toBe("4h");
    expect(program.rules.map((r) => r.size)).toEqual([
      { kind: "quote", value: new Decimal(100) },
      { kind: "quantity", value: new Decimal("0.5") },
      { kind: "quote", value: new Decimal(50) },
      { kind: "quote", value: new Decimal(25) },
      { kind: "equity-pct", value: new Decimal(5) },
    ]);
    // "and" binds tighter than "or": two groups, of one and two comparisons
    expect(program.rules[0]!.when.map((g) => g.length)).toEqual([1, 2]);
    expect(parseRules("on 1d; buy 1 when 30 > rsi14").timeframe).toBe("1d");
  });

  // every mistake: its key, where it points, and that it reads well in both languages
  const MISTAKES: [string, string, Record<string, string | number>][] = [
    ["  ;  ", "error-rules-empty", {}],
    ["buy 1 when rsi < 30; ".repeat(60), "error-rules-too-long", { max: 1000 }],
    [
      Array.from({ length: 21 }, () => "buy 1 when rsi<3").join(";"),
      "error-rules-too-many",
      { max: 20 },
    ],
    [
      "buy 10% when rsi < 30; sel all when rsi > 70",
      "error-rules-statement",
      { statement: 2, word: "sel", suggestion: "sell" },
    ],
    [
      "purchase 10% when rsi < 30",
      "error-rules-statement",
      { statement: 1, word: "purchase", suggestion: "none" },
    ],
    ["buy 10% if RSI(14) < 30", "error-rules-when-missing", { statement: 1, word: "if" }],
    ["buy when RSI(14) < 30", "error-rules-size-missing", { statement: 1, action: "buy" }],
    ["buy ten when RSI(14) < 30", "error-rules-size", { statement: 1, word: "ten" }],
    ["buy all when RSI(14) < 30", "error-rules-buy-all", { statement: 1 }],
    ["buy 1 when rsi < 30; stop 3", "error-rules-percent", { statement: 2, word: "3", max: "100" }],
    [
      "buy 1 when rsi < 30; stop 3%; stop 4%",
      "error-rules-duplicate",
      { statement: 3, word: "stop" },
    ],
    ["buy 1 when rsi < 30; every 2h", "error-rules-timeframe", { statement: 2, word: "2h" }],
    ["buy 1 when", "error-rules-condition-empty", { statement: 1 }],
    ["buy 1 when rsi < 30 and", "error-rules-condition-empty", { statement: 1 }],
    [
      "buy 1 when RSI(14) is low",
      "error-rules-condition",
      { statement: 1, word: "RSI(14) is low" },
    ],
    ["buy 1 when 3 < 4", "error-rules-condition-constant", { statement: 1, word: "3 < 4" }],
    [
      `buy 1 when ${Array.from({ length: 11 }, () => "rsi < 30").join(" and ")}`,
      "error-rules-too-many-conditions",
      { statement: 1, max: 10 },
    ],
    [
      "buy 1 when RSII(14) < 30",
      "error-rules-indicator",
      { statement: 1, word: "RSII(14)", suggestion: "RSI(14)" },
    ],
    [
      "buy 1 when wobble(3) < 30",
      "error-rules-indicator",
      { statement: 1, word: "wobble(3)", suggestion: "none" },
    ],
    [
      "buy 1 when MACD(26,12,9) > 0",
      "error-rules-indicator-params",
      { statement: 1, word: "MACD(26,12,9)" },
    ],
    [
      "buy 1 when RSI(999) < 30",
      "error-rules-period",
      { statement: 1, word: "RSI(999)", max: 250 },
    ],
    ["buy 1 when rsi999 < 30", "error-rules-period", { statement: 1, word: "rsi999", max: 250 }],
    ["buy 1 when RSI(1) < 30", "error-rules-period", { statement: 1, word: "RSI(1)", min: 2 }],
    ["buy 1 when DIST_FROM_HIGH_PCT(30d) > 5", "error-rules-indicator-daily", { statement: 1 }],
    ["sell all when rsi > 70", "error-rules-no-buy", {}],
  ];

  it.each(MISTAKES)("explains %j as %s", (source, key, params) => {
    const error = errorOf(source);
    expect(error.key).toBe(key);
    expect(error.field).toBe("strategyRules");
    expect(error.params).toMatchObject(params);
    for (const t of [en, ru]) {
      const text = describeDomainError(t, error);
      expect(text).not.toMatch(/\{\s*\$|error-rules/);
      if (typeof params.word === "string") expect(text).toContain(params.word);
      if (typeof params.statement === "number") expect(text).toContain(String(params.statement));
      if (typeof params.suggestion === "string" && params.suggestion !== "none")
        expect(text).toContain(params.suggestion);
    }
  });

  it("offers the corrected word as a suggestion", () => {
    expect(errorOf("buy 1 when RSII(14) < 30").suggestions).toEqual(["RSI(14)"]);
    expect(errorOf("bye 1 when rsi < 3").suggestions).toEqual(["buy"]);
    expect(describeDomainError(ru, errorOf("buy 1 when RSII(14) < 30"))).toBe(
      "Утверждение 1: не знаю индикатор «RSII(14)». Может быть, RSI(14)?",
    );
  });
});

describe("rules kind", () => {
  it("is registered and stores its text and timeframe", () => {
    expect(strategyDefinition("rules")).toBe(rules);
    expect(
      canonicalParams("rules", {
        source: " buy 10% when RSI(14) < 30 ;\n sell all  when RSI(14) > 70 ",
      }),
    ).toEqual({
      kind: "rules",
      source: "buy 10% when RSI(14) < 30; sell all when RSI(14) > 70",
      timeframe: "1h",
    });
    // the timeframe written in the rules wins over the stored one
    const parsed = parseStoredParams({
      kind: "rules",
      source: "every 4h; buy 1 when rsi < 30",
      timeframe: "1h",
    });
    expect(parsed.definition.timeframe(parsed.params)).toBe("4h");
  });

  it("reports a mistake in the text on the source parameter, with the statement", () => {
    try {
      canonicalParams("rules", { source: "buy 1 when rsi < 30; sell all when RSI(999) > 70" });
      throw new Error("expected an error");
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).key).toBe("error-rules-period");
      expect((e as ValidationError).params).toMatchObject({ param: "source", statement: 2 });
    }
  });

  // close < 10 buys, close > 12 sells; the stop and target act on the close from the entry
  const CLOSES = [11, 11, 9, 10, 13, 11, 8, 7.5, 12.5, 8, 8.3];

  it("buys when flat and a buy rule holds, sells when holding and a sell rule holds", () => {
    const run = runStrategy(
      rules,
      { source: "buy 100 USDT when close < 10; sell all when close > 12" },
      candlesOf(CLOSES),
    );
    // 2 buys (9 < 10); 3 holds (no second entry); 4 sells (13 > 12); 6 buys (8); 8 sells; 9 buys
    expect(summary(run.events)).toEqual([
      "buy@2 signal",
      "sell@4 signal",
      "buy@6 signal",
      "sell@8 signal",
      "buy@9 signal",
    ]);
    expect(run.events[0]!.intent).toMatchObject({
      id: "buy-1",
      size: { kind: "quote", value: new Decimal(100) },
    });
    expect(run.events[1]!.intent.id).toBe("sell-2");
  });

  it("stops out and takes profit on the close from the entry", () => {
    const run = runStrategy(
      rules,
      { source: "buy 1 when close < 10; stop 10%; take 30%" },
      candlesOf(CLOSES),
    );
    // entry 9 at 2: stop 8.1, target 11.7 → 13 at 4 takes profit; entry 8 at 6: stop 7.2, 7.5
    // holds, target 10.4 → 12.5 at 8 takes profit; entry 8 at 9: 8.3 holds
    expect(summary(run.events)).toEqual([
      "buy@2 signal",
      "sell@4 take-profit",
      "buy@6 signal",
      "sell@8 take-profit",
      "buy@9 signal",
    ]);
    const stopped = runStrategy(
      rules,
      { source: "buy 1 when close < 10; stop 5%" },
      candlesOf(CLOSES),
    );
    // entry 9 at 2: stop 8.55 → 8 at 6 stops out (no new entry on that candle); 7.5 at 7 buys
    expect(summary(stopped.events)).toEqual(["buy@2 signal", "sell@6 stop-loss", "buy@7 signal"]);
  });

  it("reads indicators: RSI below 30 after a fall, not before it has a value", () => {
    const falling = Array.from({ length: 20 }, (_, i) => 100 - i * 2);
    const run = runStrategy(rules, { source: "buy 10% when RSI(14) < 30" }, candlesOf(falling));
    // RSI(14) has its first value at the 15th candle (index 14), and after only falls it is 0
    expect(summary(run.events)).toEqual(["buy@14 signal"]);
  });
});

describe("storedWithTimeframe (the /backtest TIMEFRAME argument)", () => {
  const source = "buy 10% when RSI(14) < 30; every 4h; sell all when RSI(14) > 70";

  it("wins over the timeframe a rules text names, keeping the rules", () => {
    const stored = canonicalParams("rules", { source });
    expect(stored.timeframe).toBe("4h");
    const over = storedWithTimeframe(stored, "1h");
    expect(over).toEqual({
      kind: "rules",
      source: "buy 10% when RSI(14) < 30; sell all when RSI(14) > 70",
      timeframe: "1h",
    });
    const parsed = parseStoredParams(over);
    expect(parsed.definition.timeframe(parsed.params)).toBe("1h");
    expect(
      storedWithTimeframe({ kind: "rules", source: "On 1d\nbuy 1% when close > 1" }, "15m"),
    ).toMatchObject({ source: "buy 1% when close > 1", timeframe: "15m" });
  });

  it("replaces the timeframe of the other kinds", () => {
    const stored = canonicalParams("ma-cross", { fast: 5, slow: 10, timeframe: "1d" });
    const parsed = parseStoredParams(storedWithTimeframe(stored, "5m"));
    expect(parsed.definition.timeframe(parsed.params)).toBe("5m");
  });
});
