// The performance lines as people read them, in English and Russian: the value's two ends, the net
// flows (only when there were any, with deposits and withdrawals apart when both happened), the
// time-weighted return and the profit, one block per currency.
import { describe, expect, it } from "vitest";
import { createI18n, translatorFor } from "../../src/bot/i18n.ts";
import { chartInputFor } from "../../src/bot/reports/report-chart-input.ts";
import { performanceLines } from "../../src/bot/reports/report-parts.ts";
import type { CurrencyPerformance } from "../../src/domain/reports/performance.ts";
import type { PnlPeriodReport } from "../../src/domain/reports/report-types.ts";
import { Decimal } from "../../src/lib/decimal.ts";

const i18n = createI18n("en");
const d = (v: string) => new Decimal(v);

function perf(
  currency: string,
  start: string,
  end: string,
  deposits: string,
  withdrawals: string,
  twr: string | null,
): CurrencyPerformance {
  const netFlows = d(deposits).minus(withdrawals);
  return {
    currency,
    from: new Date("2026-03-01T00:00:00Z"),
    to: new Date("2026-03-10T00:00:00Z"),
    start: d(start),
    end: d(end),
    deposits: d(deposits),
    withdrawals: d(withdrawals),
    netFlows,
    profit: d(end).minus(start).minus(netFlows),
    twr: twr === null ? null : d(twr),
  };
}

const lines = (locale: "en" | "ru", p: CurrencyPerformance[]) =>
  performanceLines(p, translatorFor(i18n, locale), locale).map((l) => l.text);

describe("performanceLines", () => {
  it("writes the issue's case in English: the withdrawal apart, the return and profit net of it", () => {
    expect(lines("en", [perf("USD", "100000", "18350.04", "0", "81650", "0.0035")])).toEqual([
      "Value: 100,000.00 → 18,350.04 USD",
      "Net deposits/withdrawals: −81,650.00 USD",
      "Return (time-weighted): +0.35 %",
      "Profit: +0.04 USD",
    ]);
  });

  it("leaves the flows line out when nothing came in or went out, and has no return for an empty book", () => {
    expect(lines("en", [perf("USDT", "1000", "990", "0", "0", "-0.01")])).toEqual([
      "Value: 1,000.00 → 990.00 USDT",
      "Return (time-weighted): −1.00 %",
      "Profit: −10.00 USDT",
    ]);
    expect(lines("en", [perf("USDT", "0", "0", "0", "0", null)])).toEqual([
      "Value: 0.00 → 0.00 USDT",
      "Return (time-weighted): —",
      "Profit: 0.00 USDT",
    ]);
  });

  it("writes Russian with deposits and withdrawals apart, one block per currency", () => {
    const text = lines("ru", [
      perf("USD", "0", "18350", "100000", "81650", "0"),
      perf("EUR", "500", "1550", "1000", "0", "0.1"),
    ]).map((l) => l.replace(/[\u00a0\u202f]/g, " "));
    expect(text).toEqual([
      "Стоимость: 0,00 → 18 350,00 USD",
      "Пополнения и выводы (нетто): +18 350,00 USD (пополнения +100 000,00, выводы −81 650,00)",
      "Доходность (взвешенная по времени): 0,00 %",
      "Прибыль: 0,00 USD",
      "Стоимость: 500,00 → 1 550,00 EUR",
      "Пополнения и выводы (нетто): +1 000,00 EUR",
      "Доходность (взвешенная по времени): +10,00 %",
      "Прибыль: +50,00 EUR",
    ]);
  });
});

describe("the report chart", () => {
  it("colours the value curve by the profit net of flows, so a withdrawal is not drawn as a loss", () => {
    const points = [
      { at: new Date("2026-03-01T00:00:00Z"), value: d("100000") },
      { at: new Date("2026-03-10T00:00:00Z"), value: d("18350.04") },
    ];
    const report = (profit: CurrencyPerformance) =>
      // only the fields the chart reads; the rest of a report is not involved here
      ({
        kind: "PNL_REPORT",
        portfolio: { name: "Main" },
        at: points[1]!.at,
        timeZone: "UTC",
        period: "month",
        equity: {
          from: points[0]!.at,
          to: points[1]!.at,
          resolution: "1d",
          series: [{ currency: "USD", points }],
          performance: [profit],
        },
      }) as unknown as PnlPeriodReport;
    const v = {
      t: translatorFor(i18n, "en"),
      locale: "en",
      zone: "UTC",
      market: { name: "x", synthetic: false },
    };
    const gain = chartInputFor(report(perf("USD", "100000", "18350.04", "0", "81650", "0")), v);
    expect(gain!.equity!.trend).toBe(1);
    const loss = chartInputFor(report(perf("USD", "100000", "18000", "0", "81650", "-0.01")), v);
    expect(loss!.equity!.trend).toBe(-1);
  });
});
