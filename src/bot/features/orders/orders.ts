// Orders from Telegram: /buy and /sell (quick syntax → card; no arguments → the step-by-step
// conversation), the card's buttons, /orders [open|filled|canceled|all] paged with Cancel (asks
// first) and Amend buttons on each open order (the list: orders-list.ts), /cancel ID,
// /amend ID [price=..] [qty=..], and /trades [period] (trades-list.ts). This file declares the
// commands and answers the buttons.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { Composer } from "grammy";
import type { OrderSide } from "../../../domain/types.ts";
import { parsePeriod } from "../../../lib/time.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { ORDER_AMEND } from "./order-amend.ts";
import { ORDER_BRACKET } from "./order-bracket.ts";
import { ORDER_ENTRY } from "./order-entry.ts";
import { describeError } from "../../errors.ts";
import { editFmt } from "../../format/reply.ts";
import { button, keyboard, parseId } from "../../keyboards.ts";
import { inScope, refuse } from "../../middlewares/access.ts";
import { amendAndDescribe } from "./amend.ts";
import { parseAmendCommand } from "./amend-syntax.ts";
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
import { onPage } from "../../pagination.ts";
import { applyFix, confirmDraft, discardDraft, refreshDraft, showCard } from "./flow.ts";
import { ordersCommand, renderOrders } from "./orders-list.ts";
import { parseOrderCommand } from "./quick-syntax.ts";
import { renderTrades, tradesCommand } from "./trades-list.ts";

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
    renderOrders(ctx, ORDER_FILTERS.find((f) => f === arg) ?? "open", page),
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
