// /profit, /performance, /stats and /daily, /weekly, /monthly: what the trading made, read from
// the domain's trade statistics (src/domain/trade-stats) and only formatted here. Each acts on
// the active portfolio unless one is named, with the period or count before or after the name
// ("/profit Swing week" = "/profit week Swing"), in the reader's time zone.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { InputFile } from "grammy";
import { DateTime } from "luxon";
import { NotFoundError } from "../../../domain/errors.ts";
import type { PortfolioView } from "../../../domain/portfolios/portfolio-service.ts";
import type { CurrencyTradeStats } from "../../../domain/trade-stats/statistics.ts";
import {
  type HistoryReport,
  MAX_HISTORY_PERIODS,
} from "../../../domain/trade-stats/trade-stats-service.ts";
import { type Decimal, ZERO } from "../../../lib/decimal.ts";
import type { BucketUnit } from "../../../lib/period-buckets.ts";
import { type Period, PERIODS, formatLocal, parsePeriod } from "../../../lib/time.ts";
import { renderPeriodBars } from "../../../reports/charts/period-bars.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { formatDuration } from "../../format/duration.ts";
import { formatAmount, formatMoney, formatNumber, formatPercent } from "../../format/numbers.ts";
import { replyFmt } from "../../format/reply.ts";
import { table } from "../../format/tables.ts";
import { splitFormatted } from "../../reports/split-formatted.ts";
import { parseScopeArgs } from "../positions/positions.ts";

const CAPTION_LIMIT = 1024;
const CHART_FILE = "pnl.png";
const isPeriod = (w: string) => parsePeriod(w) !== null;

const argText = (ctx: BotContext) => (typeof ctx.match === "string" ? ctx.match : "");

/**
 * The portfolio the words name (the active one when they name none) and the other words taken
 * by `leading`; null after answering when a word is neither one of those nor a portfolio.
 */
export async function reportScope(
  ctx: ActorContext,
  leading: (word: string) => boolean,
  usageKey: string,
  /** what the other words may be, for the answer to a word that is none of them */
  expected: string = ctx.t("reports-expect-period", { periods: PERIODS.join(", ") }),
): Promise<{ portfolio: PortfolioView; rest: string[] } | null> {
  const args = parseScopeArgs(argText(ctx), leading);
  if (args.strategy !== null) {
    await ctx.reply(ctx.t(usageKey));
    return null;
  }
  const { portfolios } = ctx.deps.services;
  try {
    // archived portfolios too, by name: their history stays readable and exportable
    const portfolio = await portfolios.resolveForReading(ctx.actor, args.portfolio);
    return { portfolio, rest: args.rest };
  } catch (e) {
    if (!(e instanceof NotFoundError) || e.key !== "error-unknown-portfolio") throw e;
    const names = (await portfolios.listPortfolios(ctx.actor)).map((p) => p.name);
    await ctx.reply(
      ctx.t("reports-unknown-word", {
        word: args.portfolio ?? "",
        expected,
        portfolios: names.join(", ") || "—",
      }) + `\n${ctx.t(usageKey)}`,
    );
    return null;
  }
}

async function view(ctx: ActorContext) {
  const locale = await ctx.i18n.getLocale();
  const zone = ctx.user?.timeZone ?? ctx.actor.timeZone;
  const t = (key: string, params?: Record<string, string | number>) => ctx.t(key, params);
  return { locale, zone, t };
}

function heading(
  ctx: BotContext,
  key: string,
  portfolio: PortfolioView,
  period: Period,
  from: Date,
  zone: string,
): FormattedString {
  const since =
    period === "all"
      ? ctx.t("pnl-since-start")
      : ctx.t("pnl-since", { from: formatLocal(from, zone) });
  return fmt`${FormattedString.b(
    ctx.t(key, { portfolio: portfolio.name, period: ctx.t(`pnl-period-${period}`) }),
  )}\n${since}`;
}

const pct = (v: Decimal | null, locale: string, signed = false) =>
  v === null ? "—" : formatPercent(v, locale, signed);

// ---- /profit ----

async function profitCommand(ctx: ActorContext): Promise<void> {
  const scope = await reportScope(ctx, isPeriod, "profit-usage");
  if (!scope) return;
  const period = parsePeriod(scope.rest[0]) ?? "all";
  const { locale, zone, t } = await view(ctx);
  const report = await ctx.deps.services.tradeStats.profit(
    ctx.actor,
    scope.portfolio.id,
    period,
    zone,
  );
  const head = heading(ctx, "profit-title", report.portfolio, period, report.from, zone);
  const blocks = report.currencies
    .filter((c) => c.trades || c.performance || c.openPositions > 0)
    .map((c) => {
      const money = (v: Decimal, signed = true) => formatMoney(v, c.currency, locale, signed);
      const lines: FormattedString[] = [FormattedString.b(c.currency)];
      const s = c.trades;
      lines.push(fmt`${ctx.t("profit-realized")}: ${money(s?.realized ?? ZERO)}`);
      lines.push(
        fmt`${ctx.t("profit-unrealized", { count: c.openPositions })}: ${money(c.unrealized)}`,
      );
      if (c.performance) {
        lines.push(fmt`${ctx.t("profit-value-change")}: ${money(c.performance.profit)}`);
        lines.push(
          fmt`${ctx.t("profit-roi")}: ${pct(c.performance.twr?.mul(100) ?? null, locale, true)}`,
        );
      }
      if (s && s.trades > 0) {
        lines.push(
          fmt`${ctx.t("profit-trades", { trades: s.trades, wins: s.wins, losses: s.losses })} · ${ctx.t("profit-win-rate")} ${pct(s.winRate, locale)}`,
        );
        lines.push(
          fmt`${ctx.t("profit-factor")}: ${s.profitFactor ? formatNumber(s.profitFactor, locale, { minDecimals: 2, maxDecimals: 2 }) : s.grossProfit.gt(0) ? "∞" : "—"}`,
        );
        if (s.averageHoldMs !== null)
          lines.push(fmt`${ctx.t("profit-avg-hold")}: ${formatDuration(s.averageHoldMs, t)}`);
      } else {
        lines.push(fmt`${ctx.t("profit-no-closed")}`);
      }
      if (s?.best)
        lines.push(
          fmt`${ctx.t("profit-best")}: ${s.best.symbol} ${money(s.best.realized)}${s.worst ? ` · ${ctx.t("profit-worst")}: ${s.worst.symbol} ${money(s.worst.realized)}` : ""}`,
        );
      if (c.drawdown)
        lines.push(
          fmt`${ctx.t("profit-drawdown")}: ${formatPercent(c.drawdown.percent.neg(), locale, false)} (${money(c.drawdown.amount.neg())})`,
        );
      return FormattedString.join(lines, "\n");
    });
  if (!blocks.length) {
    await replyFmt(ctx, fmt`${head}\n\n${ctx.t("reports-no-trades")}`);
    return;
  }
  const body = FormattedString.join(blocks, "\n\n");
  const note = report.exchangeHeld
    ? fmt`\n\n${FormattedString.i(ctx.t("report-exchange-no-history", { broker: report.exchangeHeld.broker }))}`
    : "";
  await replyFmt(ctx, fmt`${head}\n\n${body}${note}`);
}

// ---- /performance ----

async function performanceCommand(ctx: ActorContext): Promise<void> {
  const scope = await reportScope(ctx, isPeriod, "performance-usage");
  if (!scope) return;
  const period = parsePeriod(scope.rest[0]) ?? "all";
  const { locale, zone } = await view(ctx);
  const report = await ctx.deps.services.tradeStats.performance(
    ctx.actor,
    scope.portfolio.id,
    period,
    zone,
  );
  const head = heading(ctx, "performance-title", report.portfolio, period, report.from, zone);
  if (!report.symbols.length) {
    await replyFmt(ctx, fmt`${head}\n\n${ctx.t("reports-no-trades")}`);
    return;
  }
  const rows = report.symbols.map((s) => [
    s.symbol,
    `${formatAmount(s.realized, locale, true)} ${s.currency}`,
    String(s.trades),
    s.winRate === null ? "—" : formatNumber(s.winRate, locale, { minDecimals: 1, maxDecimals: 1 }),
  ]);
  const header = [
    ctx.t("performance-col-symbol"),
    ctx.t("performance-col-pnl"),
    ctx.t("performance-col-trades"),
    ctx.t("performance-col-win"),
  ];
  const body = FormattedString.pre(table(header, rows, ["left", "right", "right", "right"]));
  const note = FormattedString.i(ctx.t("performance-note"));
  for (const part of splitFormatted(fmt`${head}\n${body}\n${note}`)) await replyFmt(ctx, part);
}

// ---- /stats ----

function statsBlock(ctx: BotContext, s: CurrencyTradeStats, locale: string): FormattedString {
  const t = (key: string, params?: Record<string, string | number>) => ctx.t(key, params);
  const money = (v: Decimal | null) => (v === null ? "—" : formatAmount(v, locale, true));
  const hold = (ms: number | null) => (ms === null ? "—" : formatDuration(ms, t));
  const summary = table(
    ["", ctx.t("stats-col-wins"), ctx.t("stats-col-losses")],
    [
      [ctx.t("stats-row-count"), String(s.wins), String(s.losses)],
      [
        ctx.t("stats-row-average", { currency: s.currency }),
        money(s.averageWin),
        money(s.averageLoss),
      ],
      [ctx.t("stats-row-hold"), hold(s.averageWinHoldMs), hold(s.averageLossHoldMs)],
    ],
    ["left", "right", "right"],
  );
  const reasons = table(
    [
      ctx.t("stats-col-reason"),
      ctx.t("performance-col-trades"),
      ctx.t("stats-col-wins"),
      ctx.t("stats-col-net", { currency: s.currency }),
    ],
    s.exitReasons.map((r) => [
      ctx.t(`exit-reason-${r.reason}`),
      String(r.trades),
      String(r.wins),
      formatAmount(r.net, locale, true),
    ]),
    ["left", "right", "right", "right"],
  );
  const extra = s.even > 0 ? `\n${ctx.t("stats-even", { count: s.even })}` : "";
  return fmt`${FormattedString.b(s.currency)} · ${ctx.t("stats-summary", { trades: s.trades })} · ${ctx.t("profit-win-rate")} ${pct(s.winRate, locale)}${extra}\n${FormattedString.pre(summary)}\n${FormattedString.b(ctx.t("stats-exit-reasons"))}\n${FormattedString.pre(reasons)}`;
}

async function statsCommand(ctx: ActorContext): Promise<void> {
  const scope = await reportScope(ctx, isPeriod, "stats-usage");
  if (!scope) return;
  const period = parsePeriod(scope.rest[0]) ?? "all";
  const { locale, zone } = await view(ctx);
  const report = await ctx.deps.services.tradeStats.stats(
    ctx.actor,
    scope.portfolio.id,
    period,
    zone,
  );
  const head = heading(ctx, "stats-title", report.portfolio, period, report.from, zone);
  const withTrades = report.currencies.filter((c) => c.trades > 0);
  if (!withTrades.length) {
    await replyFmt(ctx, fmt`${head}\n\n${ctx.t("reports-no-closed-trades")}`);
    return;
  }
  const blocks = withTrades.map((s) => statsBlock(ctx, s, locale));
  for (const part of splitFormatted(fmt`${head}\n\n${FormattedString.join(blocks, "\n\n")}`))
    await replyFmt(ctx, part);
}

// ---- /daily, /weekly, /monthly ----

const HISTORY_DEFAULTS: Record<BucketUnit, number> = { day: 7, week: 8, month: 6 };
const LABEL_FORMAT: Record<BucketUnit, string> = {
  day: "ccc d MMM",
  week: "d MMM yyyy",
  month: "LLL yyyy",
};

function bucketLabel(at: Date, unit: BucketUnit, zone: string, locale: string): string {
  return DateTime.fromJSDate(at, { zone }).setLocale(locale).toFormat(LABEL_FORMAT[unit]);
}

async function historyCommand(ctx: ActorContext, unit: BucketUnit): Promise<void> {
  const usage = `history-usage-${unit}`;
  const scope = await reportScope(
    ctx,
    (w) => /^[+-]?\d+$/.test(w),
    usage,
    ctx.t("reports-expect-count", { max: MAX_HISTORY_PERIODS }),
  );
  if (!scope) return;
  const typed = scope.rest[0];
  const count = typed === undefined ? HISTORY_DEFAULTS[unit] : Number(typed);
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_HISTORY_PERIODS) {
    await ctx.reply(
      `${ctx.t("error-history-periods-range", { max: MAX_HISTORY_PERIODS })}\n${ctx.t(usage)}`,
    );
    return;
  }
  const { locale, zone } = await view(ctx);
  await ctx.replyWithChatAction("upload_photo").catch(() => undefined);
  const report = await ctx.deps.services.tradeStats.history(
    ctx.actor,
    scope.portfolio.id,
    unit,
    count,
    zone,
  );
  const title = ctx.t(`history-title-${unit}`, { portfolio: report.portfolio.name, count });
  if (!report.currencies.length) {
    await replyFmt(ctx, fmt`${FormattedString.b(title)}\n\n${ctx.t("reports-no-trades")}`);
    return;
  }
  const tables = report.currencies.map((currency) =>
    historyTable(ctx, report, currency, locale, zone),
  );
  const note = report.exchangeHeld
    ? fmt`${FormattedString.i(ctx.t("history-exchange-realized", { broker: report.exchangeHeld.broker }))}\n`
    : "";
  const full = fmt`${FormattedString.b(title)}\n${note}${FormattedString.join(tables, "\n")}`;
  // the chart shows the currency that moved most
  const main = [...report.currencies].sort((a, b) =>
    spread(report, b).comparedTo(spread(report, a)),
  )[0]!;
  let chart: Buffer | null = null;
  try {
    chart = (
      await renderPeriodBars({
        // the chart's font has no emoji: the title without its leading symbol
        title: `${title.replace(/^\p{Extended_Pictographic}\s*/u, "")} · ${main}`,
        subtitle: `${formatLocal(report.buckets[report.buckets.length - 1]!.to, zone)} (${zone})`,
        labels: report.buckets.map((b) => bucketLabel(b.from, unit, zone, locale)),
        values: report.buckets.map(
          (b) => (b.currencies.find((c) => c.currency === main)?.profit ?? null)?.toNumber() ?? 0,
        ),
        formatNumber: (n) => formatNumber(String(n), locale, { maxDecimals: 2 }),
      })
    ).png;
  } catch (err) {
    ctx.deps.logger.warn({ err, unit }, "period chart could not be rendered");
  }
  let rest: FormattedString | null = full;
  if (chart) {
    const fits = full.text.length <= CAPTION_LIMIT;
    const caption = fits ? full : FormattedString.b(title);
    await ctx.replyWithPhoto(new InputFile(chart, CHART_FILE), {
      caption: caption.text,
      caption_entities: caption.entities,
    });
    rest = fits ? null : fmt`${note}${FormattedString.join(tables, "\n")}`;
  }
  if (rest) for (const part of splitFormatted(rest)) await replyFmt(ctx, part);
}

function spread(report: HistoryReport, currency: string): Decimal {
  return report.buckets
    .map((b) => b.currencies.find((c) => c.currency === currency)!.profit.abs())
    .reduce((s, v) => s.plus(v));
}

function historyTable(
  ctx: BotContext,
  report: HistoryReport,
  currency: string,
  locale: string,
  zone: string,
): FormattedString {
  const rows = [...report.buckets].reverse().map((b) => {
    const c = b.currencies.find((x) => x.currency === currency)!;
    return [
      bucketLabel(b.from, report.unit, zone, locale),
      formatAmount(c.profit, locale, true),
      String(c.trades),
      c.twr === null ? "—" : formatPercent(c.twr.mul(100), locale),
    ];
  });
  const header = [
    ctx.t(`history-col-${report.unit}`),
    ctx.t(report.exchangeHeld ? "history-col-realized" : "history-col-pnl", { currency }),
    ctx.t("performance-col-trades"),
    ctx.t("history-col-return"),
  ];
  return FormattedString.pre(table(header, rows, ["left", "right", "right", "right"]));
}

export function registerTradeReports(registry: CommandRegistry): void {
  registry.add({
    name: "profit",
    scope: "user",
    group: "reports",
    descriptionKey: "cmd-profit",
    exampleKey: "cmd-profit-example",
    handler: profitCommand,
  });
  registry.add({
    name: "daily",
    scope: "user",
    group: "reports",
    descriptionKey: "cmd-daily",
    exampleKey: "cmd-daily-example",
    handler: (ctx) => historyCommand(ctx, "day"),
  });
  registry.add({
    name: "weekly",
    scope: "user",
    group: "reports",
    descriptionKey: "cmd-weekly",
    exampleKey: "cmd-weekly-example",
    handler: (ctx) => historyCommand(ctx, "week"),
  });
  registry.add({
    name: "monthly",
    scope: "user",
    group: "reports",
    descriptionKey: "cmd-monthly",
    exampleKey: "cmd-monthly-example",
    handler: (ctx) => historyCommand(ctx, "month"),
  });
  registry.add({
    name: "performance",
    scope: "user",
    group: "reports",
    descriptionKey: "cmd-performance",
    exampleKey: "cmd-performance-example",
    handler: performanceCommand,
  });
  registry.add({
    name: "stats",
    scope: "user",
    group: "reports",
    descriptionKey: "cmd-stats",
    exampleKey: "cmd-stats-example",
    handler: statsCommand,
  });
}
