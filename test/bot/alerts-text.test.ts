// The words of alerts and screeners: every fired-alert sentence, option, value label and button
// family (keys the code builds at run time, which the i18n test cannot collect) exists in every
// language and renders with numbers in the reader's format; screener tables line up.
import { describe, expect, it } from "vitest";
import {
  describeOptions,
  describeValues,
  firedSentence,
  renderFired,
} from "../../src/bot/features/alerts/alert-text.ts";
import { screenerResultText } from "../../src/bot/features/screeners/screener-text.ts";
import { toHtml } from "../../src/bot/format/html.ts";
import { createI18n, translatorFor } from "../../src/bot/i18n.ts";
import { SUPPORTED_LOCALES } from "../../src/config.ts";
import type { AlertCondition, AlertConfig } from "../../src/domain/alerts/alert-config.ts";
import { parseAlertCommand } from "../../src/domain/alerts/alert-syntax.ts";
import { validateAlertOptions } from "../../src/domain/alerts/alert-validation.ts";
import type { ScreenerResult } from "../../src/domain/screeners/screener-service.ts";
import { validateScreenerConfig } from "../../src/domain/screeners/screener-config.ts";

const i18n = createI18n("en");

const VALUES: Record<AlertCondition["kind"], Record<string, string>> = {
  PRICE_LEVEL: { price: "70012.5", level: "70000" },
  PRICE_MOVE: { price: "147.2", reference: "140", changePct: "5.14" },
  INDICATOR_LEVEL: { indicator: "RSI(14)", value: "28.41", level: "30", price: "2990.1" },
  MA_CROSS: { fast: "3010.2", slow: "3001.7", price: "3011" },
  MACD_CROSS: { macd: "-1.2", signal: "-3.4", histogram: "2.2" },
  BB_TOUCH: { band: "181.22", reach: "180.9", price: "182" },
  ATR_MOVE: { price: "71000", previousClose: "70000", atr: "400", ratio: "2.5", multiplier: "2" },
  POSITION_PNL: {
    unrealized: "-512.4",
    unrealizedPct: "-5.12",
    price: "65000",
    quantity: "0.1",
    currency: "USDT",
    threshold: "-5",
  },
  POSITION_DRAWDOWN: { drawdownPct: "10.5", peak: "72000", price: "64440", percent: "10" },
  RISK_USAGE: { usedPct: "85", rule: "dailyLossLimitPct", policyId: "7", percent: "80" },
};

const COMMANDS = [
  "BTCUSDT above 70000",
  "BTCUSDT below 70000",
  "SOLUSDT move 5% 1h",
  "ETHUSDT rsi14 1h below 30",
  "ETHUSDT rsi14 1h above 70",
  "BTCUSDT ema20 cross ema50 4h",
  "BTCUSDT price cross sma200 1d down",
  "BTCUSDT macd 1h cross up",
  "BTCUSDT macd 1h cross down",
  "AAPL bb20 1d touch lower",
  "AAPL bb20 1d touch upper",
  "BTCUSDT atr14 1h move 2",
  "position BTCUSDT pnl -5%",
  "position BTCUSDT drawdown 10%",
  "risk 80%",
];

function config(text: string, options = {}): AlertConfig {
  const parsed = parseAlertCommand(text);
  return {
    v: 1,
    condition: parsed.condition,
    ...validateAlertOptions({ ...parsed.options, ...options }),
  };
}

describe("alert words", () => {
  for (const locale of SUPPORTED_LOCALES) {
    const t = translatorFor(i18n, locale);
    it(`renders every fired alert in ${locale}`, () => {
      for (const text of COMMANDS) {
        const c = config(text);
        const sentence = firedSentence(t, locale, c.condition, VALUES[c.condition.kind], "Main");
        expect(sentence, `${locale}: ${text}`).not.toMatch(/alert-|\{|undefined|NaN/);
        expect(sentence.length, text).toBeGreaterThan(15);
      }
    });

    it(`has every option, severity and value label in ${locale}`, () => {
      for (const severity of ["INFO", "WARNING", "ERROR", "CRITICAL"]) {
        const words = describeOptions(t, config("BTCUSDT above 1", { severity, trigger: "level" }));
        expect(words).not.toMatch(/alert-/);
      }
      for (const values of Object.values(VALUES)) {
        const line = describeValues(t, locale, { side: "in", values, extra: {}, missing: null });
        expect(line).not.toMatch(/alert-value-/);
      }
      const families = [
        ...["price", "move", "rsi", "ma", "macd", "bb", "atr", "vol", "pnl", "dd"].map(
          (k) => `newalert-kind-${k}`,
        ),
        ...["above", "below", "up", "down", "any"].map((d) => `newalert-dir-${d}`),
        ...["upper", "lower"].map((b) => `newalert-band-${b}`),
        ...["crypto", "equity", "etf", "future", "forex"].map((a) => `screener-universe-type-${a}`),
      ];
      for (const key of families) expect(i18n.t(locale, key), `${locale}:${key}`).not.toBe(key);
    });
  }

  it("formats numbers for the reader and says what happens next", () => {
    const c = config("BTCUSDT above 70000 once");
    const fired = {
      owner: { id: 1, language: "ru", telegramLanguage: null, timeZone: "Europe/Moscow" },
      alert: {
        id: 5,
        uid: "u",
        userId: 1,
        portfolioId: null,
        name: "BTCUSDT above 70000",
        type: "PRICE" as const,
        config: c,
        state: { side: "in" as const },
        isActive: false,
        lastTriggeredAt: null,
        triggerCount: 1,
        createdAt: new Date(0),
      },
      evaluation: {
        at: new Date("2026-03-10T12:00:00Z"),
        side: "in" as const,
        values: VALUES.PRICE_LEVEL,
        fired: true,
        heldByCooldown: false,
        missing: null,
      },
      portfolioName: null,
    };
    const en = renderFired(translatorFor(i18n, "en"), "en", fired);
    expect(en.title).toBe("🔔 BTCUSDT above 70000");
    expect(toHtml(en.body)).toBe(
      "BTCUSDT is at 70,012.5, at or above 70,000.\n<i>One-time alert: it is now off. · 2026-03-10 15:00</i>",
    );
    expect(en.markup).toBeUndefined();
    const ru = renderFired(translatorFor(i18n, "ru"), "ru", {
      ...fired,
      alert: { ...fired.alert, isActive: true, config: config("BTCUSDT above 70000 every 30m") },
    });
    expect(toHtml(ru.body)).toContain(
      "BTCUSDT стоит 70\u00a0012,5 — на уровне 70\u00a0000 или выше.",
    );
    expect(toHtml(ru.body)).toContain("Может сработать снова через 30 мин.");
    expect(ru.markup?.inline_keyboard[0]?.[0]).toMatchObject({ callback_data: "al:np:5" });
  });
});

describe("screener table", () => {
  it("lines up ranks, symbols, prices and indicator columns", () => {
    const cfg = validateScreenerConfig({
      universe: { kind: "ASSET_TYPE", assetType: "CRYPTO" },
      interval: "1h",
      conditions: [{ left: { kind: "RSI", period: 14 }, op: "<", right: 40 }],
      sort: { by: { kind: "PRICE_CHANGE_PCT", period: 24 }, order: "desc" },
      limit: 3,
    });
    const result: ScreenerResult = {
      at: new Date("2026-03-10T12:00:00Z"),
      columns: ["PRICE_CHANGE_PCT(24)", "RSI(14)"],
      sortLabel: "PRICE_CHANGE_PCT(24)",
      universe: 40,
      evaluated: 40,
      matched: 2,
      rows: [
        {
          rank: 1,
          symbol: "SOLUSDT",
          price: 141.25,
          sortValue: 6.1,
          values: { "PRICE_CHANGE_PCT(24)": 6.1, "RSI(14)": 38.2 },
        },
        {
          rank: 2,
          symbol: "BTCUSDT",
          price: 91250.5,
          sortValue: -1.25,
          values: { "PRICE_CHANGE_PCT(24)": -1.25, "RSI(14)": null },
        },
      ],
      skipped: [],
      timings: { totalMs: 1, fetchMs: 1, computeMs: 0 },
      screener: { id: 1, name: "Dips" },
      config: cfg,
    };
    const text = screenerResultText(translatorFor(i18n, "en"), "en", result, {
      timeZone: "UTC",
      source: "synthetic",
    });
    const table = text.text.split("\n").slice(2, 5);
    expect(table).toEqual([
      "#  Symbol      Price  Δ24 %  RSI14",
      "1  SOLUSDT    141.25   6.10  38.20",
      "2  BTCUSDT  91,250.5  −1.25      —",
    ]);
    expect(text.text).toContain("2 of 40 instruments match.");
  });
});
