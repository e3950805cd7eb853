// /trades [period]: the fills of the current portfolio in a period (today unless named), ten a
// page (pagination.ts), in the user's time zone.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { formatLocal, parsePeriod, type Period, periodRange } from "../../../lib/time.ts";
import type { ActorContext } from "../../context.ts";
import { formatMoney, formatPrice, formatQuantity } from "../../format/numbers.ts";
import { replyFmt } from "../../format/reply.ts";
import { keyboard } from "../../keyboards.ts";
import { pageWindow, pagerRow } from "../../pagination.ts";

const TRADES_PAGE_SIZE = 10;

export async function renderTrades(ctx: ActorContext, period: Period, requested: number) {
  const portfolio = await ctx.deps.services.portfolios.resolvePortfolio(ctx.actor);
  const zone = ctx.user?.timeZone ?? "UTC";
  const { from, to } = periodRange(period, new Date(), zone);
  const list = (page: number) =>
    ctx.deps.services.trades.list(ctx.actor, portfolio.id, {
      from,
      to,
      skip: (page - 1) * TRADES_PAGE_SIZE,
      take: TRADES_PAGE_SIZE,
    });
  let trades = await list(requested);
  const window = pageWindow(trades.total, requested, TRADES_PAGE_SIZE);
  if (window.page !== requested) trades = await list(window.page);
  const locale = await ctx.i18n.getLocale();
  const title = FormattedString.b(
    ctx.t("trades-title", { portfolio: portfolio.name, period: ctx.t(`pnl-period-${period}`) }),
  );
  if (!trades.items.length)
    return { text: fmt`${title}\n\n${ctx.t("trades-none")}`, markup: keyboard([]) };
  const lines = await Promise.all(
    trades.items.map(async (tr) => {
      const instrument = await ctx.deps.services.instruments.get(tr.instrumentId);
      return fmt`${formatLocal(tr.execTime, zone)} · ${ctx.t(`order-side-${tr.side.toLowerCase()}`)} ${formatQuantity(tr.quantity, instrument.rules.lotSize, locale)} ${instrument.symbol} @ ${formatPrice(tr.price, instrument.rules.tickSize, locale)} · ${ctx.t("trades-fee")} ${formatMoney(tr.fee, tr.feeCurrency ?? instrument.currency, locale)}`;
    }),
  );
  return {
    text: fmt`${title}\n\n${FormattedString.join(lines, "\n")}`,
    markup: keyboard([pagerRow("trades", window, period)]),
  };
}

export async function tradesCommand(ctx: ActorContext): Promise<void> {
  const word = typeof ctx.match === "string" ? ctx.match.trim() : "";
  const period = word ? parsePeriod(word) : "today";
  if (!period) {
    await ctx.reply(ctx.t("trades-usage"));
    return;
  }
  const { text, markup } = await renderTrades(ctx, period, 1);
  await replyFmt(ctx, text, markup);
}
