// Reports as people read them: the summary text in English and Russian (numbers in the reader's
// format, monospace tables), the chart's localized labels in the reader's zone, long reports split
// at line ends, and /report's arguments. The report data comes from the real services on SQLite
// (the rendering under test is pure; the database is only the set-up).
import { FormattedString, fmt } from "@grammyjs/parse-mode";
import { describe, expect, it } from "vitest";
import { parseReportArgs } from "../../src/bot/features/schedules/schedules.ts";
import { toHtml } from "../../src/bot/format/html.ts";
import { formatNumber } from "../../src/bot/format/numbers.ts";
import { createI18n, translatorFor } from "../../src/bot/i18n.ts";
import { chartInputFor } from "../../src/bot/reports/report-chart-input.ts";
import { ReportComposer } from "../../src/bot/reports/report-composer.ts";
import type { ReportView } from "../../src/bot/reports/report-parts.ts";
import { reportBody, reportTitle } from "../../src/bot/reports/report-text.ts";
import { describeWhen, scheduleEntry } from "../../src/bot/features/schedules/schedule-text.ts";
import { MESSAGE_LIMIT, splitFormatted } from "../../src/bot/reports/split-formatted.ts";
import { PnlService } from "../../src/domain/pnl/pnl-service.ts";
import { ReportService } from "../../src/domain/reports/report-service.ts";
import type { PortfolioSummary } from "../../src/domain/reports/report-types.ts";
import { ScheduleService } from "../../src/domain/schedules/schedule-service.ts";
import { SYSTEM } from "../../src/domain/users/actor.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { type TestWorld, approvedUser, paperPortfolio } from "../support/fixtures.ts";
import { LinearMarket, futureDayStart } from "../domain/reports/support.ts";
import { useTestWorld } from "../support/test-world.ts";

const i18n = createI18n("en");
const market = { name: "offline", synthetic: true };
const view = (locale: "en" | "ru", zone = "UTC"): ReportView => ({
  t: translatorFor(i18n, locale),
  locale,
  zone,
  market,
});

describe("report text and charts", () => {
  let world: TestWorld;
  let summary: PortfolioSummary;
  let schedules: ScheduleService;
  const T0 = futureDayStart();

  useTestWorld("sqlite", async (t) => {
    ({ world } = t);
    // funded at the start of the day, read at 10:00
    world.clock.set(T0);
    const lines = new LinearMarket(T0, world.clock);
    const s = world.services;
    const pnl = new PnlService(s.ctx, s.portfolios, s.positions, s.instruments, lines);
    const reports = new ReportService(s.ctx, {
      portfolios: s.portfolios,
      pnl,
      history: lines,
      marks: lines,
    });
    schedules = new ScheduleService(s.ctx, s.portfolios);
    const actor = await approvedUser(world, "Reader");
    const portfolio = await paperPortfolio(world, actor, { name: "Main", cash: "10000" });
    const fills = [
      ["BTCUSDT", "BUY", "0.1", "40100", "4.01", 1],
      ["ETHUSDT", "BUY", "1", "2980", "2.98", 2],
      ["BTCUSDT", "SELL", "0.05", "40500", "2.025", 5],
    ] as const;
    for (const [symbol, side, qty, price, fee, hour] of fills) {
      await s.trades.ingestFill(SYSTEM, {
        portfolioId: portfolio.id,
        symbol,
        side,
        quantity: new Decimal(qty),
        price: new Decimal(price),
        fee: new Decimal(fee),
        execTime: new Date(T0.getTime() + hour * 3_600_000),
        brokerTradeId: `txt-${hour}`,
      });
    }
    world.clock.set(new Date(T0.getTime() + 10 * 3_600_000));
    summary = await reports.portfolioSummary(actor, portfolio.id, {
      period: "today",
      timeZone: "UTC",
    });
  });

  it("writes the summary in English with aligned tables", () => {
    const v = view("en");
    expect(reportTitle(summary, v)).toBe("📊 Main — summary");
    const body = reportBody(summary, v);
    const text = body.text;
    expect(text).toContain("Value\n");
    // 5025.985 and 9975.985 are rounded half-to-even for display
    expect(text).toMatch(/USDT\s+4,950\.00\s+5,025\.98\s+9,975\.98/);
    expect(text).toContain("Biggest movers today (UTC day)");
    expect(text).toMatch(/ETHUSDT\s+−3\.33 %/);
    expect(text).toMatch(/BTCUSDT\s+\+2\.50 %/);
    expect(text).toMatch(/USDT\s+−24\.02/); // today's net PnL, −24.015
    expect(text).toContain("Open orders (0)");
    expect(text.trimEnd().endsWith("synthetic prices")).toBe(true);
    const html = toHtml(body);
    expect(html.match(/<pre>/g)?.length).toBeGreaterThanOrEqual(3);
    expect(html).toContain("<b>Positions</b>");
  });

  it("writes the summary in Russian with Russian number formatting", () => {
    const v = view("ru");
    expect(reportTitle(summary, v)).toBe("📊 Main — сводка");
    const text = reportBody(summary, v).text;
    expect(text).toContain("Стоимость");
    expect(text).toContain("Позиции");
    expect(text).toContain(
      formatNumber(new Decimal("9975.985"), "ru", { minDecimals: 2, maxDecimals: 2 }),
    );
    // grouped with a no-break space and a decimal comma, whichever space this ICU uses
    expect(text).toMatch(/9[\u00a0\u202f]975,98/);
    expect(text).toContain("синтетические цены");
    expect(text).not.toMatch(/\b(Value|Positions|Cash)\b/);
  });

  it("labels the chart in the reader's language and zone", () => {
    const en = chartInputFor(summary, view("en", "Asia/Tokyo"))!;
    expect(en.title).toBe("Main");
    expect(en.equity!.title).toBe("Portfolio value, USDT (today)");
    // 15-minute points; labels in Tokyo time (UTC+9)
    expect(en.equity!.labels[0]).toBe("09:00");
    expect(en.equity!.labels.at(-1)).toBe("19:00");
    expect(en.equity!.values.at(-1)).toBeCloseTo(9975.985, 6);
    expect(en.allocation!.bars.map((b) => [b.label, b.note])).toEqual([
      ["Cash", "50.38 %"],
      ["ETHUSDT", "29.07 %"],
      ["BTCUSDT", "20.55 %"],
    ]);
    const ru = chartInputFor(summary, view("ru"))!;
    expect(ru.equity!.title).toBe("Стоимость портфеля, USDT (сегодня)");
    expect(ru.allocation!.bars[0]!.label).toBe("Деньги");
    expect(ru.allocation!.bars[0]!.note).toBe("50,38 %");
    expect(ru.formatNumber(12345.5)).toMatch(/^12[\u00a0\u202f]345,5$/);
  });

  it("renders title, text and a PNG chart together", async () => {
    const composer = new ReportComposer({
      users: world.services.users,
      reports: { forTarget: () => Promise.resolve(summary) },
      notifier: {
        translator: () => translatorFor(i18n, "ru"),
        localeOf: () => "ru",
      },
      market,
    });
    const rendered = await composer.render(summary, view("ru"));
    expect(rendered.title).toBe("📊 Main — сводка");
    expect(rendered.chart!.png.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(rendered.chart!.width).toBe(1000);
  });

  it("describes schedules with presets by name and custom expressions as code", async () => {
    const t = translatorFor(i18n, "en");
    expect(
      describeWhen(t, { cron: "0 9 * * 1-5", preset: "weekdays", timeZone: "Europe/Berlin" }).text,
    ).toBe("Weekdays at 09:00 (Europe/Berlin)");
    const custom = describeWhen(t, { cron: "15 7 * * 6", preset: null, timeZone: "UTC" });
    expect(custom.text).toBe("15 7 * * 6 (UTC)");
    expect(custom.entities).toEqual([
      expect.objectContaining({ type: "code", offset: 0, length: 10 }),
    ]);
    const ruT = translatorFor(i18n, "ru");
    const actor = await approvedUser(world, "Lister");
    const p = await paperPortfolio(world, actor, { name: "Книга" });
    const s = await schedules.create(actor, {
      name: "Утро",
      target: { kind: "PNL_REPORT", portfolioId: p.id, period: "week" },
      when: { preset: "mondays" },
      timeZone: "Europe/Moscow",
    });
    const entry = scheduleEntry(ruT, s, 1).text;
    expect(entry).toContain("1. ▶️ Утро");
    expect(entry).toContain("Отчёт о прибыли (за неделю) · Книга");
    expect(entry).toContain("По понедельникам в 09:00 (Europe/Moscow)");
    expect(entry).toMatch(/Следующий запуск: \d{4}-\d\d-\d\d 09:00/);
  });
});

describe("splitFormatted", () => {
  it("cuts long text at line ends into parts within Telegram's limit, keeping formatting", () => {
    const rows = Array.from(
      { length: 300 },
      (_, i) => `BTCUSDT ${String(i).padStart(4, "0")}  ${"x".repeat(20)}`,
    );
    const message = fmt`${FormattedString.b("Title")}\n${FormattedString.pre(rows.join("\n"))}\nend`;
    const parts = splitFormatted(message);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    // nothing lost but the newlines cut at
    expect(parts.map((p) => p.text).join("\n")).toBe(message.text);
    // the <pre> block continues in each part that holds a piece of it
    for (const p of parts.slice(0, -1)) {
      expect(p.entities.some((e) => e.type === "pre")).toBe(true);
    }
    expect(splitFormatted(fmt`short`).map((p) => p.text)).toEqual(["short"]);
  });
});

describe("parseReportArgs", () => {
  it("takes the last word as the period when it is one", () => {
    expect(parseReportArgs("")).toEqual({ portfolio: null, period: "today" });
    expect(parseReportArgs("month")).toEqual({ portfolio: null, period: "month" });
    expect(parseReportArgs("Main week")).toEqual({ portfolio: "Main", period: "week" });
    expect(parseReportArgs("Long Term")).toEqual({ portfolio: "Long Term", period: "today" });
    expect(parseReportArgs("«My book» y")).toEqual({ portfolio: "My book", period: "year" });
  });
});
