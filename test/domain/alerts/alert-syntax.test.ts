// The quick alert syntax: every documented form, the options, refusals naming the field, and the
// config written back as a command that parses to the same thing.
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/domain/errors.ts";
import { validateAlertOptions } from "../../../src/domain/alerts/alert-validation.ts";
import { formatAlertCommand } from "../../../src/domain/alerts/alert-command-format.ts";
import { parseAlertCommand } from "../../../src/domain/alerts/alert-syntax.ts";

function refusal(text: string): { field: string; key: string } {
  try {
    parseAlertCommand(text);
  } catch (e) {
    if (e instanceof ValidationError) return { field: e.field, key: e.key };
    throw e;
  }
  throw new Error(`accepted: ${text}`);
}

describe("quick alert syntax", () => {
  it.each([
    [
      "BTCUSDT above 70000",
      { kind: "PRICE_LEVEL", symbol: "BTCUSDT", direction: "above", level: "70000" },
      {},
    ],
    [
      "ETHUSDT below 2500 once",
      { kind: "PRICE_LEVEL", direction: "below", level: "2500" },
      { once: true },
    ],
    ["btcusdt is above 70000.5", { kind: "PRICE_LEVEL", level: "70000.5" }, { trigger: "level" }],
    [
      "SOLUSDT move 5% 1h",
      { kind: "PRICE_MOVE", percent: "5", windowMs: 3_600_000, direction: "any" },
      {},
    ],
    [
      "SOLUSDT move 2.5% in 30m down",
      { kind: "PRICE_MOVE", percent: "2.5", windowMs: 1_800_000, direction: "down" },
      {},
    ],
    [
      "ETHUSDT rsi14 1h below 30",
      {
        kind: "INDICATOR_LEVEL",
        interval: "1h",
        indicator: { kind: "RSI", period: 14 },
        direction: "below",
        level: 30,
      },
      {},
    ],
    [
      "BTCUSDT ema20 cross ema50 4h",
      {
        kind: "MA_CROSS",
        interval: "4h",
        fast: { kind: "EMA", period: 20 },
        slow: { kind: "EMA", period: 50 },
        direction: "any",
      },
      {},
    ],
    [
      "BTCUSDT price cross sma200 1d up",
      {
        kind: "MA_CROSS",
        interval: "1d",
        fast: { kind: "PRICE" },
        slow: { kind: "SMA", period: 200 },
        direction: "up",
      },
      {},
    ],
    ["BTCUSDT macd 1h cross up", { kind: "MACD_CROSS", interval: "1h", direction: "up" }, {}],
    [
      "AAPL bb20 1d touch lower",
      { kind: "BB_TOUCH", symbol: "AAPL", interval: "1d", band: "lower" },
      {},
    ],
    [
      "BTCUSDT vol20 15m spike 3",
      {
        kind: "INDICATOR_LEVEL",
        interval: "15m",
        indicator: { kind: "VOLUME_SPIKE", period: 20 },
        direction: "above",
        level: 3,
      },
      {},
    ],
    ["BTCUSDT atr14 1h move 2", { kind: "ATR_MOVE", interval: "1h", multiplier: 2 }, {}],
    [
      "position BTCUSDT pnl -500",
      { kind: "POSITION_PNL", symbol: "BTCUSDT", threshold: "-500", unit: "amount" },
      {},
    ],
    ["position BTCUSDT pnl -5%", { kind: "POSITION_PNL", threshold: "-5", unit: "percent" }, {}],
    [
      "position BTCUSDT drawdown 10% every 30m",
      { kind: "POSITION_DRAWDOWN", percent: "10" },
      { cooldownMs: 1_800_000 },
    ],
    [
      "risk 80% rule dailyLossLimitPct critical",
      { kind: "RISK_USAGE", percent: "80", rule: "dailyLossLimitPct" },
      { severity: "CRITICAL" },
    ],
  ])("%s", (text, condition, options) => {
    const parsed = parseAlertCommand(text);
    expect(parsed.condition).toMatchObject(condition);
    expect(parsed.options).toMatchObject(options);
  });

  it("takes the portfolio of position and risk alerts from “in NAME”", () => {
    expect(parseAlertCommand("position ETHUSDT pnl 10% once in Long term").portfolio).toBe(
      "Long term",
    );
    expect(parseAlertCommand("risk 90% in Swing").portfolio).toBe("Swing");
    expect(parseAlertCommand("position ETHUSDT pnl 10%").portfolio).toBeNull();
  });

  it.each([
    ["", "alertSyntax", "error-alert-usage"],
    ["BTCUSDT", "alertSyntax", "error-alert-usage"],
    ["BTCUSDT above", "alertSyntax", "error-alert-needs-number"],
    ["BTCUSDT above lots", "alertSyntax", "error-alert-needs-number"],
    ["BTCUSDT above -5", "alertLevel", "error-must-be-positive"],
    ["BTCUSDT above 0", "alertLevel", "error-must-be-positive"],
    ["BTCUSDT sideways 5", "alertSyntax", "error-alert-unknown-word"],
    ["BTCUSDT above 70000 please", "alertSyntax", "error-alert-unknown-word"],
    ["SOLUSDT move 5 1h", "alertSyntax", "error-alert-needs-percent"],
    ["SOLUSDT move 5% soon", "alertSyntax", "error-alert-needs-duration"],
    ["SOLUSDT move 5% 30d", "alertWindow", "error-alert-duration-range"],
    ["ETHUSDT rsi14 below 30", "alertSyntax", "error-alert-needs-interval"],
    ["ETHUSDT rsi14 2h below 30", "alertSyntax", "error-alert-needs-interval"],
    ["ETHUSDT rsi14 1h below 130", "alertLevel", "error-alert-rsi-level"],
    ["ETHUSDT rsi1 1h below 30", "indicatorPeriod", "error-indicator-period-range"],
    ["ETHUSDT foo14 1h below 30", "alertSyntax", "error-alert-unknown-word"],
    ["BTCUSDT ema20 cross 4h", "alertSyntax", "error-alert-needs-ma"],
    ["BTCUSDT ema20 cross ema20 4h", "indicator", "error-alert-same-ma"],
    ["BTCUSDT rsi14 cross ema20 4h", "indicator", "error-alert-not-ma"],
    ["AAPL bb20 1d touch middle", "alertBand", "error-alert-choice"],
    ["BTCUSDT atr14 1h move 0", "alertMultiplier", "error-alert-multiplier-range"],
    ["BTCUSDT above 70000 every 10s", "alertSyntax", "error-alert-needs-duration"],
    ["BTCUSDT above 70000 every 60d", "alertCooldown", "error-alert-duration-range"],
    ["position BTCUSDT pnl 0", "alertThreshold", "error-alert-threshold-zero"],
    ["position BTCUSDT drawdown 100%", "alertPercent", "error-alert-too-large"],
    ["position BTCUSDT size 5", "alertSyntax", "error-alert-unknown-word"],
    ["risk 80", "alertSyntax", "error-alert-needs-percent"],
    ["risk 80% rule 9lives", "alertRule", "error-alert-rule"],
  ])("refuses %j (%s)", (text, field, key) => {
    expect(refusal(text)).toEqual({ field, key });
  });

  it("writes a config back as a command that parses to the same config", () => {
    for (const text of [
      "BTCUSDT above 70000",
      "ETHUSDT below 2500.5 once",
      "BTCUSDT is above 70000 critical",
      "SOLUSDT move 5% 1h",
      "SOLUSDT move 5% 90m down every 2h",
      "ETHUSDT rsi14 1h below 30",
      "ETHUSDT rsi14 1h is below 30",
      "BTCUSDT ema20 cross ema50 4h",
      "BTCUSDT price cross sma200 1d up",
      "BTCUSDT macd 1h cross up",
      "BTCUSDT MACD(5,35,5) 1h cross down",
      "AAPL bb20 1d touch lower",
      "AAPL BBANDS(20,2.5) 1d touch upper",
      "BTCUSDT vol20 15m spike 3",
      "BTCUSDT atr14 1h move 2.5",
      "position BTCUSDT pnl -500",
      "position BTCUSDT pnl -5% once",
      "position BTCUSDT drawdown 10% every 30m",
      "risk 80% rule dailyLossLimitPct info",
    ]) {
      const parsed = parseAlertCommand(text);
      const config = {
        v: 1 as const,
        condition: parsed.condition,
        ...validateAlertOptions(parsed.options),
      };
      expect(formatAlertCommand(config)).toBe(text);
    }
  });
});
