// Orders from Telegram: /buy and /sell (quick syntax → card; no arguments → the step-by-step
// conversation), the card's buttons, /orders [open|filled|canceled|all] paged with Cancel (asks
// first) and Amend buttons on each open order, /cancel ID, /amend ID [price=..] [qty=..], and
// /trades [period].
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { Composer } from "grammy";
import type { OrderSide } from "../../../domain/types.ts";
import type { OrderFilter } from "../../../domain/orders/order-queries.ts";
import { formatLocal, parsePeriod, type Period, periodRange } from "../../../lib/time.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { ORDER_AMEND } from "./order-amend.ts";
import { ORDER_BRACKET } from "./order-bracket.ts";
import { ORDER_ENTRY } from "./order-entry.ts";
import { describeError } from "../../errors.ts";
import { formatMoney, formatPrice, formatQuantity } from "../../format/numbers.ts";
import { editFmt, replyFmt } from "../../format/reply.ts";
import { button, keyboard, parseId } from "../../keyboards.ts";
import { inScope, refuse } from "../../middlewares/access.ts";
import { AMENDABLE_TYPES, amendAndDescribe } from "./amend.ts";
import { parseAmendCommand } from "./amend-syntax.ts";
import { orderLine } from "./card.ts";
import {
  ORDER_FILTERS,
  orderAmend,
  orderBracket,
  orderCancel,
  orderCancelAsk,
  orderConfirm,
  orderDiscard,
  orderEdit,
  orderFix,
  orderRefresh,
  ordersPage,
} from "./callback-data.ts";
import { getDraft } from "./drafts.ts";
import { onPage, pageWindow, pagerRow } from "../../pagination.ts";
import { applyFix, confirmDraft, discardDraft, refreshDraft, showCard } from "./flow.ts";
import { parseOrderCommand } from "./quick-syntax.ts";

const FILTERS: readonly OrderFilter[] = ORDER_FILTERS;
const PAGE_SIZE = 6;

async function tradeCommand(ctx: ActorContext, side: OrderSide): Promise<void> {
  const args = typeof ctx.match === "string" ? ctx.match.trim() : "";
  if (!args) {
    await ctx.conversation.enter(ORDER_ENTRY, { side });
    return;
  }
  const parsed = parseOrderCommand(side, args);
  if (!parsed.ok) {
    await ctx.reply(`${ctx.t(parsed.key, parsed.params)}\n\n${ctx.t("order-syntax-examples")}`);
    return;
  }
  await showCard(ctx, parsed.draft);
}

async function renderOrders(ctx: ActorContext, filter: OrderFilter, requested: number) {
  const portfolio = await ctx.deps.services.portfolios.resolvePortfolio(ctx.actor);
  const list = (page: number) =>
    ctx.deps.services.orders.list(ctx.actor, portfolio.id, filter, page, PAGE_SIZE);
  let result = await list(requested);
  const window = pageWindow(result.total, requested, PAGE_SIZE);
  // a page that no longer exists (orders were canceled meanwhile): show the last one there is
  if (window.page !== requested) result = await list(window.page);
  const { page, pages } = window;
  const locale = await ctx.i18n.getLocale();
  const zone = ctx.user?.timeZone ?? "UTC";
  const t = (k: string, p?: Record<string, string | number>) => ctx.t(k, p);
  const title = FormattedString.b(
    ctx.t("orders-title", { portfolio: portfolio.name, filter: ctx.t(`orders-filter-${filter}`) }),
  );
  const lines: FormattedString[] = [];
  const cancelButtons = [];
  const triggers = await ctx.deps.services.trading.trailingTriggers(
    ctx.actor,
    portfolio.id,
    result.orders,
  );
  for (const o of result.orders) {
    const instrument = await ctx.deps.services.instruments.get(o.instrumentId);
    const filled = o.filledQuantity.isZero()
      ? ""
      : ` · ${ctx.t("orders-filled", { filled: formatQuantity(o.filledQuantity, instrument.rules.lotSize, locale), price: o.avgFillPrice ? formatPrice(o.avgFillPrice, instrument.rules.tickSize, locale) : "—" })}`;
    const trigger = triggers.get(o.id);
    const level = trigger
      ? ` · ${ctx.t("orders-trigger-now", { price: formatPrice(trigger, instrument.rules.tickSize, locale), currency: instrument.currency })}`
      : "";
    // an amended order and its replacement name each other; a bracket's legs name their entry
    // and their OCO pair, an entry its planned levels
    const tick = instrument.rules.tickSize;
    const plan = o.bracketPlan;
    const links = [
      ...(o.replacesOrderId ? [ctx.t("orders-replaces", { id: o.replacesOrderId })] : []),
      ...(o.replacedByOrderId ? [ctx.t("orders-replaced-by", { id: o.replacedByOrderId })] : []),
      ...(plan?.takeProfit
        ? [ctx.t("orders-plan-take-profit", { price: formatPrice(plan.takeProfit, tick, locale) })]
        : []),
      ...(plan?.stopLoss
        ? [ctx.t("orders-plan-stop-loss", { price: formatPrice(plan.stopLoss, tick, locale) })]
        : []),
      ...(o.leg
        ? [
            ctx.t(`orders-leg-${o.leg.role}`, { id: o.leg.parentOrderId }),
            ctx.t("orders-leg-pair", { group: o.leg.group }),
          ]
        : []),
    ].map((l) => ` · ${l}`);
    lines.push(
      fmt`#${o.id} ${FormattedString.b(ctx.t(`order-status-${o.status.toLowerCase()}`))} · ${orderLine(t, o, instrument, locale)}${level}${filled}${links.join("")}\n   ${FormattedString.i(formatLocal(o.placedAt, zone))}`,
    );
    if (o.status === "NEW" || o.status === "PARTIALLY_FILLED")
      cancelButtons.push([
        // asks first: one stray tap must not cancel a working order
        button(
          `✖️ ${ctx.t("orders-cancel", { id: o.id })}`,
          orderCancelAsk.pack({ id: o.id, filter, page }),
        ),
        ...(AMENDABLE_TYPES.includes(o.type)
          ? [button(`✏️ ${ctx.t("orders-amend", { id: o.id })}`, orderAmend.pack({ id: o.id }))]
          : []),
      ]);
  }
  const body = lines.length ? FormattedString.join(lines, "\n") : fmt`${ctx.t("orders-none")}`;
  const nav = pagerRow("orders", window, filter);
  const filters = FILTERS.filter((f) => f !== filter).map((f) =>
    button(ctx.t(`orders-filter-${f}`), ordersPage.pack({ filter: f, page: 1 })),
  );
  return {
    text: fmt`${title}\n${ctx.t("orders-summary", { total: result.total, page, pages })}\n\n${body}`,
    markup: keyboard([...cancelButtons, nav, filters]),
  };
}

async function ordersCommand(ctx: ActorContext): Promise<void> {
  const word = (typeof ctx.match === "string" ? ctx.match.trim().toLowerCase() : "") || "open";
  const filter = FILTERS.find((f) => f === word);
  if (!filter) {
    await ctx.reply(ctx.t("orders-usage"));
    return;
  }
  const { text, markup } = await renderOrders(ctx, filter, 1);
  await replyFmt(ctx, text, markup);
}

async function cancelOne(ctx: ActorContext, orderId: number): Promise<string> {
  const result = await ctx.deps.services.trading.cancel(ctx.actor, orderId);
  return result.canceled
    ? ctx.t("orders-canceled", { id: orderId })
    : ctx.t("orders-cancel-too-late", {
        id: orderId,
        status: ctx.t(`order-status-${result.order.status.toLowerCase()}`),
      });
}

async function cancelCommand(ctx: ActorContext): Promise<void> {
  const id = parseId((typeof ctx.match === "string" ? ctx.match.trim() : "").replace(/^#/, ""));
  if (!id) {
    await ctx.reply(ctx.t("cancel-usage"));
    return;
  }
  await ctx.reply(await cancelOne(ctx, id));
}

async function amendCommand(ctx: ActorContext): Promise<void> {
  const parsed = parseAmendCommand(typeof ctx.match === "string" ? ctx.match : "");
  if (!parsed.ok) {
    await ctx.reply(
      parsed.key === "amend-usage"
        ? ctx.t("amend-usage")
        : `${ctx.t(parsed.key, parsed.params)}\n\n${ctx.t("amend-usage")}`,
    );
    return;
  }
  const { draft } = parsed;
  // the id alone: the conversation asks for each new value
  if (draft.price === null && draft.stopPrice === null && draft.quantity === null) {
    await ctx.conversation.enter(ORDER_AMEND, { orderId: draft.orderId });
    return;
  }
  await ctx.reply(await amendAndDescribe(ctx, draft));
}

const TRADES_PAGE_SIZE = 10;

async function renderTrades(ctx: ActorContext, period: Period, requested: number) {
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

async function tradesCommand(ctx: ActorContext): Promise<void> {
  const word = typeof ctx.match === "string" ? ctx.match.trim() : "";
  const period = word ? parsePeriod(word) : "today";
  if (!period) {
    await ctx.reply(ctx.t("trades-usage"));
    return;
  }
  const { text, markup } = await renderTrades(ctx, period, 1);
  await replyFmt(ctx, text, markup);
}

export function registerOrders(registry: CommandRegistry): void {
  registry.add({
    name: "buy",
    scope: "user",
    group: "trading",
    descriptionKey: "cmd-buy",
    exampleKey: "cmd-buy-example",
    handler: (ctx) => tradeCommand(ctx, "BUY"),
  });
  registry.add({
    name: "sell",
    scope: "user",
    group: "trading",
    descriptionKey: "cmd-sell",
    exampleKey: "cmd-sell-example",
    handler: (ctx) => tradeCommand(ctx, "SELL"),
  });
  registry.add({
    name: "orders",
    scope: "user",
    group: "trading",
    descriptionKey: "cmd-orders",
    exampleKey: "cmd-orders-example",
    handler: ordersCommand,
  });
  registry.add({
    name: "cancel",
    scope: "user",
    group: "trading",
    descriptionKey: "cmd-cancel",
    exampleKey: "cmd-cancel-example",
    handler: cancelCommand,
  });
  registry.add({
    name: "amend",
    scope: "user",
    group: "trading",
    descriptionKey: "cmd-amend",
    exampleKey: "cmd-amend-example",
    handler: amendCommand,
  });
  registry.add({
    name: "trades",
    scope: "user",
    group: "trading",
    descriptionKey: "cmd-trades",
    exampleKey: "cmd-trades-example",
    handler: tradesCommand,
  });
}

export function ordersFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  onPage(composer, "orders", "user", (ctx, page, arg) =>
    renderOrders(ctx, FILTERS.find((f) => f === arg) ?? "open", page),
  );
  onPage(composer, "trades", "user", (ctx, page, arg) =>
    renderTrades(ctx, parsePeriod(arg) ?? "today", page),
  );
  composer.callbackQuery(/^ord:/, async (ctx) => {
    if (!inScope(ctx, "user")) return refuse(ctx, "user");
    const data = ctx.callbackQuery.data;
    const stale = () => ctx.answerCallbackQuery({ text: ctx.t("button-stale") });
    const confirm = orderConfirm.unpack(data);
    if (confirm) return confirmDraft(ctx, confirm.token);
    const discard = orderDiscard.unpack(data);
    if (discard) return discardDraft(ctx, discard.token);
    const refresh = orderRefresh.unpack(data);
    if (refresh) return refreshDraft(ctx, refresh.token);
    const fix = orderFix.unpack(data);
    if (fix) return applyFix(ctx, fix.token, fix.index);
    const edit = orderEdit.unpack(data) ?? orderBracket.unpack(data);
    if (edit) {
      const stored = getDraft(ctx.session, edit.token);
      if (!stored)
        return ctx.answerCallbackQuery({ text: ctx.t("order-draft-expired"), show_alert: true });
      await ctx.answerCallbackQuery();
      await ctx
        .editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } })
        .catch(() => undefined);
      const bracket = orderBracket.filter.test(data);
      return ctx.conversation.enter(bracket ? ORDER_BRACKET : ORDER_ENTRY, stored.draft);
    }
    const list = ordersPage.unpack(data);
    if (list) {
      const { text, markup } = await renderOrders(ctx, list.filter, list.page);
      await ctx.answerCallbackQuery();
      return editFmt(ctx, text, markup);
    }
    const ask = orderCancelAsk.unpack(data);
    if (ask) {
      const { id, filter, page } = ask;
      const view = await renderOrders(ctx, filter, page);
      await ctx.answerCallbackQuery();
      return editFmt(
        ctx,
        fmt`${view.text}\n\n${FormattedString.b(ctx.t("orders-cancel-confirm", { id }))}`,
        keyboard([
          [
            button(ctx.t("orders-cancel-yes", { id }), orderCancel.pack({ id, filter, page })),
            button(ctx.t("orders-cancel-no"), ordersPage.pack({ filter, page })),
          ],
        ]),
      );
    }
    const amend = orderAmend.unpack(data);
    if (amend) {
      await ctx.answerCallbackQuery();
      // the conversation checks the order is still the user's and open before asking anything
      return ctx.conversation.enter(ORDER_AMEND, { orderId: amend.id });
    }
    const cancel = orderCancel.unpack(data);
    if (!cancel) return stale();
    let text: string;
    try {
      text = await cancelOne(ctx, cancel.id);
    } catch (e) {
      return ctx.answerCallbackQuery({
        text: describeError((k, p) => ctx.t(k, p), e, ctx.deps.logger).slice(0, 200),
        show_alert: true,
      });
    }
    await ctx.answerCallbackQuery({ text: text.slice(0, 200) });
    const view = await renderOrders(ctx, cancel.filter, cancel.page);
    await editFmt(ctx, view.text, view.markup);
    // the outcome stays in the chat, not only in a toast that vanishes
    return ctx.reply(text);
  });
  return composer;
}
