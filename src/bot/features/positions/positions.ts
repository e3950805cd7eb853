// /positions and /pnl. Positions: quantity (long/short at a glance), average cost, last price,
// market value, unrealized PnL in money and percent, realized PnL, fees, and totals per currency.
// PnL: realized, unrealized change, fees and net for today/week/month/year/all in the user's
// time zone, per instrument and in total, from trades. Both accept a portfolio name and
// "strategy NAME".
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { MessageEntity } from "grammy/types";
import { type Period, formatLocal, parsePeriod } from "../../../lib/time.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { PortfolioView } from "../../../domain/portfolios/portfolio-service.ts";
import type { ActorContext } from "../../context.ts";
import {
  formatMoney,
  formatNumber,
  formatPercent,
  formatPrice,
  formatQuantity,
} from "../../format/numbers.ts";
import { replyFmt } from "../../format/reply.ts";
import { exchangeSection, performanceLines } from "../../reports/report-parts.ts";
import { table } from "../../format/tables.ts";
import { holdingsCheckText } from "./holdings-check-text.ts";

export interface ScopeArgs {
  portfolio: string | null;
  strategy: string | null;
  rest: string[];
}

/** "[portfolio words…] [strategy NAME]" after the command; `rest` keeps unrecognized leading words. */
export function parseScopeArgs(
  text: string,
  leading: (word: string) => boolean = () => false,
): ScopeArgs {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const rest: string[] = [];
  while (words.length && leading(words[0]!)) rest.push(words.shift()!);
  const s = words.findIndex((w) => w.toLowerCase() === "strategy");
  const strategy = s >= 0 ? words.slice(s + 1).join(" ") || null : null;
  const portfolioWords = s >= 0 ? words.slice(0, s) : words;
  // the same words after the portfolio's name count too: "/pnl Swing week" = "/pnl week Swing"
  while (portfolioWords.length && leading(portfolioWords[portfolioWords.length - 1]!))
    rest.push(portfolioWords.pop()!);
  const portfolio = portfolioWords.join(" ").replace(/^["'«](.*)["'»]$/, "$1") || null;
  return { portfolio, strategy, rest };
}

async function resolveScope(ctx: ActorContext, args: ScopeArgs) {
  // the user row loaded for this update names the active portfolio: /positions and /pnl switch
  // nothing before this, so it need not be read again
  const portfolio = await ctx.deps.services.portfolios.resolvePortfolio(
    ctx.actor,
    args.portfolio,
    ctx.user,
  );
  const strategyIds = args.strategy
    ? await ctx.deps.services.strategies.idsByName(ctx.actor, args.strategy)
    : undefined;
  return { portfolio, strategyIds };
}

/**
 * The items one after the other with `separator` between them: FormattedString.join without its
 * cost, which re-copies every entity gathered so far for each item (quadratic in the number of
 * items) and sorts them at each step. Entities are not consolidated here: the fmt`` this ends up
 * in does that once for the whole message, with the same result.
 */
function joinFormatted(items: FormattedString[], separator: string): FormattedString {
  let text = "";
  const entities: MessageEntity[] = [];
  items.forEach((item, i) => {
    if (i > 0) text += separator;
    for (const e of item.entities) entities.push({ ...e, offset: e.offset + text.length });
    text += item.text;
  });
  return new FormattedString(text, entities);
}

async function positionsCommand(ctx: ActorContext): Promise<void> {
  const args = parseScopeArgs(typeof ctx.match === "string" ? ctx.match : "");
  if (args.strategy && !args.portfolio) {
    // a strategy may trade in any of the user's portfolios: show it wherever it holds something
    const { portfolios, strategies } = ctx.deps.services;
    const strategyIds = await strategies.idsByName(ctx.actor, args.strategy);
    let shown = 0;
    for (const view of await portfolios.listPortfolios(ctx.actor)) {
      const portfolio = await portfolios.getPortfolio(ctx.actor, view.id);
      if (await replyPositions(ctx, portfolio, strategyIds, args.strategy, false)) shown++;
    }
    if (shown === 0)
      await replyFmt(
        ctx,
        fmt`${FormattedString.b(ctx.t("positions-title-all", { strategy: args.strategy }))}\n\n${ctx.t("positions-none")}`,
      );
    return;
  }
  const { portfolio, strategyIds } = await resolveScope(ctx, args);
  await replyPositions(ctx, portfolio, strategyIds, args.strategy, true);
  // a live portfolio (all of it, not one strategy's share): do the fills and the exchange agree?
  if (!strategyIds && !portfolio.isPaper) {
    const check = await ctx.deps.services.holdingsCheck.forPortfolio(ctx.actor, portfolio.id);
    if (check)
      await replyFmt(ctx, holdingsCheckText(check, ctx.t.bind(ctx), await ctx.i18n.getLocale()));
  }
}

/**
 * "*title*rest" and a pre block below it, built as text and two entities: fmt`` would do the
 * same in three passes per card, and /positions has one card per position.
 */
function card(title: string, rest: string, body: string): FormattedString {
  return new FormattedString(`${title}${rest}\n${body}`, [
    { type: "bold", offset: 0, length: title.length },
    { type: "pre", offset: title.length + rest.length + 1, length: body.length },
  ]);
}

/** a table's rows without its header line (the cards' tables have an empty one) */
function bodyOf(tableText: string): string {
  return tableText.slice(tableText.indexOf("\n") + 1);
}

/** One portfolio's positions as a message; with `always` false, nothing when it holds none. */
async function replyPositions(
  ctx: ActorContext,
  portfolio: PortfolioView,
  strategyIds: number[] | undefined,
  strategy: string | null,
  always: boolean,
): Promise<boolean> {
  // the portfolio was checked against the actor (approved, theirs): value it as is rather than
  // through pnl.valuation(), which would load and check it again
  const valuation = await ctx.deps.services.pnl.valuationOf(portfolio, strategyIds);
  const locale = await ctx.i18n.getLocale();
  const zone = ctx.user?.timeZone ?? "UTC";
  const heading = fmt`${FormattedString.b(ctx.t("positions-title", { portfolio: portfolio.name }))}${strategy ? ` · ${ctx.t("positions-strategy", { strategy })}` : ""}`;
  if (!valuation.positions.length) {
    if (always) await replyFmt(ctx, fmt`${heading}\n\n${ctx.t("positions-none")}`);
    return false;
  }
  // the labels once, not once per position: each ctx.t() negotiates the locale anew
  const label = {
    short: `🔴 ${ctx.t("positions-short")}`,
    long: `🟢 ${ctx.t("positions-long")}`,
    qty: ctx.t("positions-qty"),
    avg: ctx.t("positions-avg"),
    last: ctx.t("positions-last"),
    value: ctx.t("positions-value"),
    unrealized: ctx.t("positions-unrealized"),
    realized: ctx.t("positions-realized"),
    fees: ctx.t("positions-fees"),
  };
  const cards = valuation.positions.map((p) => {
    const rules = p.instrument.rules;
    const side = p.quantity.isNeg() ? label.short : label.long;
    const strategy = p.strategyName ? ` · ${p.strategyName} v${p.strategyVersion}` : "";
    const rows = [
      [label.qty, formatQuantity(p.quantity, rules.lotSize, locale, true)],
      [label.avg, formatPrice(p.avgPrice, rules.tickSize, locale)],
      [label.last, p.lastPrice ? formatPrice(p.lastPrice, rules.tickSize, locale) : "—"],
      [label.value, p.marketValue ? formatMoney(p.marketValue, p.currency, locale) : "—"],
      [
        label.unrealized,
        p.unrealized
          ? `${formatMoney(p.unrealized, p.currency, locale, true)}${p.unrealizedPct ? ` (${formatPercent(p.unrealizedPct, locale)})` : ""}`
          : "—",
      ],
      [label.realized, formatMoney(p.realizedPnl, p.currency, locale, true)],
      [label.fees, formatMoney(p.fees, p.currency, locale)],
    ];
    return card(p.symbol, ` ${side}${strategy}`, bodyOf(table(["", ""], rows, ["left", "right"])));
  });
  const totals = valuation.totals.map((t) =>
    FormattedString.pre(
      bodyOf(
        table(
          ["", ""],
          [
            [ctx.t("positions-total-value"), formatMoney(t.marketValue, t.currency, locale)],
            [label.unrealized, formatMoney(t.unrealized, t.currency, locale, true)],
            [label.realized, formatMoney(t.realized, t.currency, locale, true)],
            [label.fees, formatMoney(t.fees, t.currency, locale)],
            [ctx.t("positions-net"), formatMoney(t.net, t.currency, locale, true)],
          ],
          ["left", "right"],
        ),
      ),
    ),
  );
  const footer = FormattedString.i(
    `${formatLocal(valuation.at, zone)} · ${ctx.deps.market.synthetic ? ctx.t("price-synthetic") : ctx.deps.market.name}`,
  );
  await replyFmt(
    ctx,
    fmt`${heading}\n\n${joinFormatted(cards, "\n")}\n${FormattedString.b(ctx.t("positions-totals"))}\n${joinFormatted(totals, "\n")}\n${footer}`,
  );
  return true;
}

async function pnlCommand(ctx: ActorContext): Promise<void> {
  const args = parseScopeArgs(
    typeof ctx.match === "string" ? ctx.match : "",
    (w) => parsePeriod(w) !== null,
  );
  const period: Period = (args.rest[0] && parsePeriod(args.rest[0])) || "today";
  const { portfolio, strategyIds } = await resolveScope(ctx, args);
  const { services } = ctx.deps;
  // the value's change net of deposits and withdrawals is portfolio-wide, so not shown for one
  // strategy (cash is not split by strategy)
  const [report, performance] = await Promise.all([
    services.pnl.periodReport(ctx.actor, portfolio.id, period, strategyIds),
    strategyIds ? null : services.reports.performance(ctx.actor, portfolio.id, period),
  ]);
  const locale = await ctx.i18n.getLocale();
  const zone = ctx.user?.timeZone ?? "UTC";
  // the strategy in the title too, as /positions has it: the figures are that strategy's only
  const heading = fmt`${FormattedString.b(
    ctx.t("pnl-title", { portfolio: portfolio.name, period: ctx.t(`pnl-period-${period}`) }),
  )}${args.strategy ? ` · ${ctx.t("positions-strategy", { strategy: args.strategy })}` : ""}`;
  const since =
    period === "all"
      ? ctx.t("pnl-since-start")
      : ctx.t("pnl-since", { from: formatLocal(report.from, zone) });
  const t = (key: string, params?: Record<string, string | number>) => ctx.t(key, params);
  // a live portfolio: its cash and equity at the exchange (it keeps no value history)
  const performanceText = performance
    ? [
        ...(performance.exchange ? exchangeSection(performance.exchange, t, locale) : []),
        ...performanceLines(performance.currencies, t, locale),
      ]
    : [];
  const performanceBlock = performanceText.length
    ? fmt`\n\n${FormattedString.join(performanceText, "\n")}`
    : fmt``;
  if (!report.rows.length) {
    await replyFmt(ctx, fmt`${heading}\n${since}\n\n${ctx.t("pnl-none")}${performanceBlock}`);
    return;
  }
  const money = (v: Parameters<typeof formatNumber>[0]) =>
    formatNumber(v, locale, { minDecimals: 2, maxDecimals: 2, signed: true });
  const rows = report.rows.map((r) => [
    r.instrument.symbol,
    money(r.realized),
    money(r.unrealizedChange),
    money(r.feeImpact),
    money(r.net),
  ]);
  const header = [
    ctx.t("pnl-col-symbol"),
    ctx.t("pnl-col-realized"),
    ctx.t("pnl-col-unrealized"),
    ctx.t("pnl-col-fees"),
    ctx.t("pnl-col-net"),
  ];
  const totals = report.totals.map(
    (t) =>
      fmt`${FormattedString.b(ctx.t("pnl-total", { currency: t.currency }))}: ${formatMoney(t.net, t.currency, locale, true)} (${ctx.t(
        "pnl-breakdown",
        {
          realized: money(t.realized),
          unrealized: money(t.unrealizedChange),
          fees: money(t.feeImpact),
        },
      )})`,
  );
  await replyFmt(
    ctx,
    fmt`${heading}\n${since}\n${FormattedString.pre(table(header, rows, ["left", "right", "right", "right", "right"]))}\n${FormattedString.join(totals, "\n")}${performanceBlock}`,
  );
}

export function registerPositions(registry: CommandRegistry): void {
  registry.add({
    name: "positions",
    scope: "user",
    group: "portfolio",
    descriptionKey: "cmd-positions",
    exampleKey: "cmd-positions-example",
    handler: positionsCommand,
  });
  registry.add({
    name: "pnl",
    scope: "user",
    group: "reports",
    descriptionKey: "cmd-pnl",
    exampleKey: "cmd-pnl-example",
    handler: pnlCommand,
  });
}
