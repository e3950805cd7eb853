// /profit, /performance, /stats and /daily, /weekly, /monthly: what the trading made, read from
// the domain's trade statistics (src/domain/trade-stats) and only formatted here. Each acts on
// the active portfolio unless one is named, with the period or count before or after the name
// ("/profit Swing week" = "/profit week Swing"), in the reader's time zone (report-scope.ts). The
// history reports (/daily, /weekly, /monthly): history-reports.ts.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { PortfolioView } from "../../../domain/portfolios/portfolio-service.ts";
import type { CurrencyTradeStats } from "../../../domain/trade-stats/statistics.ts";
import { type Decimal, ZERO } from "../../../lib/decimal.ts";
import { type Period, formatLocal, parsePeriod } from "../../../lib/time.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { formatDuration } from "../../format/duration.ts";
import { formatAmount, formatMoney, formatNumber, formatPercent } from "../../format/numbers.ts";
import { replyFmt } from "../../format/reply.ts";
import { table } from "../../format/tables.ts";
import { splitFormatted } from "../../reports/split-formatted.ts";
import { historyCommand } from "./history-reports.ts";
import { readerView, reportScope } from "./report-scope.ts";

const isPeriod = (w: string) => parsePeriod(w) !== null;

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
  const { locale, zone, t } = await readerView(ctx);
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
  const { locale, zone } = await readerView(ctx);
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
  const { locale, zone } = await readerView(ctx);
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
