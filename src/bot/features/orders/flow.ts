// From a draft (quick syntax or the conversation) to a confirmation card, and from a Confirm
// press to a placed order. Every step re-validates through the domain; a normalization error is
// explained with the nearest valid values offered as buttons; the draft waits in the session.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { ValidationError, isDomainError } from "../../../domain/errors.ts";
import type { BracketLevel, BracketRequest } from "../../../domain/orders/bracket-types.ts";
import type { OrderRequest } from "../../../domain/orders/order-types.ts";
import { type Decimal, dec } from "../../../lib/decimal.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { describeDomainError, describeError } from "../../errors.ts";
import { editFmt, replyFmt } from "../../format/reply.ts";
import { button, keyboard } from "../../keyboards.ts";
import { describeRiskOutcome } from "../risk/risk.ts";
import { orderCard, placedText } from "./card.ts";
import {
  orderBracket,
  orderConfirm,
  orderDiscard,
  orderEdit,
  orderFix,
  orderRefresh,
} from "./callback-data.ts";
import { dropDraft, getDraft, putDraft, withField } from "./drafts.ts";
import type { OrderDraft } from "./quick-syntax.ts";

const opt = (v: string | null): Decimal | null => (v === null ? null : dec(v));

/** "70000" → a price, "5%" → a percent from the entry. */
function level(text: string | null | undefined): BracketLevel | null {
  if (!text) return null;
  return text.endsWith("%") ? { percent: dec(text.slice(0, -1)) } : { price: dec(text) };
}

function bracketOf(draft: OrderDraft): BracketRequest | null {
  const takeProfit = level(draft.takeProfit);
  const stopLoss = level(draft.stopLoss);
  return takeProfit || stopLoss ? { takeProfit, stopLoss } : null;
}

/** Resolves names (portfolio, strategy) and a cash amount into a domain order request. */
export async function draftToRequest(
  ctx: ActorContext,
  draft: OrderDraft,
): Promise<{ request: OrderRequest; draft: OrderDraft }> {
  const { portfolios, strategies, trading } = ctx.deps.services;
  const actor = ctx.actor;
  const portfolio = await portfolios.resolvePortfolio(actor, draft.portfolio);
  const strategyId = draft.strategy ? (await strategies.active(actor, draft.strategy)).id : null;
  let resolved = draft;
  if (draft.quantity === null) {
    const amount = dec(draft.cashAmount ?? "0");
    const fromCash = await trading.quantityForCash(
      actor,
      portfolio.id,
      draft.symbol,
      amount,
      draft.side,
    );
    resolved = { ...draft, quantity: fromCash.quantity.toFixed(), symbol: fromCash.symbol };
  }
  const request: OrderRequest = {
    portfolioId: portfolio.id,
    symbol: resolved.symbol,
    side: resolved.side,
    type: resolved.type,
    quantity: dec(resolved.quantity ?? "0"),
    price: opt(resolved.price),
    stopPrice: opt(resolved.stopPrice),
    trailAmount: opt(resolved.trailAmount),
    trailPercent: opt(resolved.trailPercent),
    timeInForce: resolved.timeInForce,
    strategyId,
    bracket: bracketOf(resolved),
  };
  return { request, draft: resolved };
}

/** Shows the card for a draft (as a new message, or in place of the message pressed). */
export async function showCard(
  ctx: ActorContext,
  draft: OrderDraft,
  inPlace = false,
): Promise<void> {
  const show = (text: FormattedString, markup: ReturnType<typeof keyboard>) =>
    inPlace ? editFmt(ctx, text, markup) : replyFmt(ctx, text, markup);
  const t = (k: string, p?: Record<string, string | number>) => ctx.t(k, p);
  try {
    const { request, draft: resolved } = await draftToRequest(ctx, draft);
    const { trading } = ctx.deps.services;
    // the preview and what the user's risk policies would say, in one pass: the breach is
    // recorded when the order is really placed — or by quote() for a blocked order, which ends here
    const { preview, instrument, risk: decision } = await trading.quote(ctx.actor, request);
    const locale = await ctx.i18n.getLocale();
    const extra = decision.outcome === "ALLOW" ? null : describeRiskOutcome(t, decision, locale);
    const card = orderCard(t, preview, instrument, locale, extra, ctx.user?.timeZone ?? "UTC");
    const stored = { ...resolved, symbol: instrument.symbol };
    if (decision.outcome === "BLOCK") {
      const token = putDraft(ctx.session, { draft: stored });
      await show(card, keyboard([editCancel(ctx, token)]));
      return;
    }
    if (decision.outcome === "REDUCE" && decision.maxQuantity) {
      // the order as asked, capped at the size offered: placing it lets the risk check cut it to
      // what fits and log and notify the reduction (placing the smaller size itself would pass
      // unnoticed), and the cap keeps it at most what the user agreed to if prices move meanwhile
      const token = putDraft(ctx.session, {
        draft: stored,
        acceptedQuantity: decision.maxQuantity,
      });
      await show(
        card,
        keyboard([
          [
            button(
              `✅ ${ctx.t("order-use-reduced", { quantity: decision.maxQuantity })}`,
              orderConfirm.pack({ token }),
            ),
          ],
          editCancel(ctx, token),
        ]),
      );
      return;
    }
    const token = putDraft(ctx.session, { draft: stored });
    const confirm =
      decision.outcome === "WARN"
        ? `⚠️ ${ctx.t("order-confirm-anyway")}`
        : `✅ ${ctx.t("order-confirm")}`;
    // a plain card also offers to attach a take-profit / stop-loss (the bracket conversation)
    const bracket =
      decision.outcome === "ALLOW"
        ? [button(`🎯 ${ctx.t("order-bracket")}`, orderBracket.pack({ token }))]
        : [];
    await show(
      card,
      keyboard([
        [button(confirm, orderConfirm.pack({ token })), ...bracket],
        editCancel(ctx, token),
      ]),
    );
  } catch (e) {
    if (!isDomainError(e)) throw e;
    if (e.key === "error-no-portfolio") {
      // nothing to edit or cancel: say how to get a portfolio instead
      await show(fmt`${ctx.t("order-no-portfolio")}`, keyboard([]));
      return;
    }
    const message = fmt`${describeDomainError(t, e)}`;
    const fixable = e instanceof ValidationError && e.suggestions.length > 0;
    const token = putDraft(ctx.session, {
      draft,
      ...(fixable ? { fix: { field: e.field, values: e.suggestions } } : {}),
    });
    // a spot sell beyond the holding offers what is free: "Sell 0.5"
    const useKey = /^error-short-/.test(e.key) ? "order-sell-free" : "order-use-value";
    const fixes = fixable
      ? (e as ValidationError).suggestions
          .slice(0, 4)
          .map((v, i) => button(ctx.t(useKey, { value: v }), orderFix.pack({ token, index: i })))
      : [];
    await show(message, keyboard([fixes, editCancel(ctx, token)]));
  }
}

function editCancel(ctx: BotContext, token: string) {
  return [
    button(`✏️ ${ctx.t("order-edit")}`, orderEdit.pack({ token })),
    button(`✖️ ${ctx.t("order-cancel")}`, orderDiscard.pack({ token })),
  ];
}

/** Confirm: place the order the card showed (re-validated), and replace the card with the result. */
export async function confirmDraft(ctx: ActorContext, token: string): Promise<void> {
  const stored = getDraft(ctx.session, token);
  if (!stored) {
    await ctx.answerCallbackQuery({ text: ctx.t("order-draft-expired"), show_alert: true });
    return;
  }
  await ctx.answerCallbackQuery({ text: ctx.t("order-sending") });
  try {
    const { request } = await draftToRequest(ctx, stored.draft);
    const result = await ctx.deps.services.trading.place(
      ctx.actor,
      request,
      stored.acceptedQuantity ? { acceptedQuantity: dec(stored.acceptedQuantity) } : {},
    );
    dropDraft(ctx.session, token);
    const instrument = await ctx.deps.services.instruments.get(result.order.instrumentId);
    const locale = await ctx.i18n.getLocale();
    const lines = [
      fmt`${placedText((k, p) => ctx.t(k, p), result.order, instrument, locale, result.submitted)}`,
    ];
    if (result.risk.outcome === "WARN" || result.risk.outcome === "REDUCE") {
      for (const f of result.risk.findings) lines.push(fmt`⚠️ ${ctx.t(f.key, f.params)}`);
    }
    if (result.submitError)
      lines.push(fmt`${ctx.t(result.submitError.key, result.submitError.params)}`);
    await editFmt(ctx, FormattedString.join(lines, "\n"), keyboard([]));
  } catch (e) {
    // the market moved or something changed since the card: explain, keep the draft editable.
    // Anything else is logged and apologized for here, in the card: the button press is already
    // answered ("sending…"), so an error left to the boundary would reach the user as nothing.
    const explanation = isDomainError(e)
      ? describeDomainError((k, p) => ctx.t(k, p), e)
      : describeError((k, p) => ctx.t(k, p), e, ctx.deps.logger, {
          update: ctx.update.update_id,
          user: ctx.user?.id,
          action: "confirm-order",
        });
    await editFmt(
      ctx,
      fmt`${explanation}`,
      keyboard([
        [
          button(`🔄 ${ctx.t("order-refresh")}`, orderRefresh.pack({ token })),
          button(`✖️ ${ctx.t("order-cancel")}`, orderDiscard.pack({ token })),
        ],
      ]),
    );
  }
}

/** A suggestion button: the same draft with the suggested value, shown as a fresh card. */
export async function applyFix(ctx: ActorContext, token: string, index: number): Promise<void> {
  const stored = getDraft(ctx.session, token);
  const value = stored?.fix?.values[index];
  if (!stored?.fix || value === undefined) {
    await ctx.answerCallbackQuery({ text: ctx.t("order-draft-expired"), show_alert: true });
    return;
  }
  await ctx.answerCallbackQuery();
  dropDraft(ctx.session, token);
  await showCard(ctx, withField(stored.draft, stored.fix.field, value), true);
}

export async function refreshDraft(ctx: ActorContext, token: string): Promise<void> {
  const stored = getDraft(ctx.session, token);
  if (!stored) {
    await ctx.answerCallbackQuery({ text: ctx.t("order-draft-expired"), show_alert: true });
    return;
  }
  await ctx.answerCallbackQuery();
  dropDraft(ctx.session, token);
  await showCard(ctx, stored.draft, true);
}

export async function discardDraft(ctx: BotContext, token: string): Promise<void> {
  dropDraft(ctx.session, token);
  await ctx.answerCallbackQuery();
  await editFmt(ctx, fmt`${ctx.t("order-discarded")}`, keyboard([]));
}
