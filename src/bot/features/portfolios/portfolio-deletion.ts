// Deleting a portfolio: it is archived when it has history and deleted when it has none; while it
// holds open orders or positions (or cash) it is refused, with buttons to cancel the orders and
// close the positions at market (through the normal trading path), then to delete it once flat.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { StateError, isDomainError } from "../../../domain/errors.ts";
import type { RetirementResult } from "../../../domain/portfolios/portfolio-service.ts";
import type { ActorContext } from "../../context.ts";
import { describeDomainError } from "../../errors.ts";
import { editFmt } from "../../format/reply.ts";
import type { Translate } from "../../i18n.ts";
import { button, keyboard } from "../../keyboards.ts";
import { cancelReport, closeReport } from "../portfolio-controls/closeout-text.ts";
import {
  cancelPortfolioOrders,
  closePortfolioPositions,
  deletePortfolioNow,
} from "./callback-data.ts";

/**
 * Refusals the user can clear (open orders or positions, cash still held): the message keeps the
 * buttons that lead on, so after cancelling, closing or /withdraw the same message finishes it.
 */
export function isNotFlat(e: unknown): e is StateError {
  return (
    e instanceof StateError &&
    (e.key === "error-portfolio-not-flat" || e.key === "error-portfolio-has-cash")
  );
}

export function retiredText(t: Translate, result: RetirementResult): string {
  return t(result.outcome === "ARCHIVED" ? "portfolio-archived" : "portfolio-deleted", {
    name: result.name,
  });
}

/** Cancel / close buttons for what is still open, or "delete now" once nothing is. */
export async function flattenButtons(ctx: ActorContext, portfolioId: number) {
  const blockers = await ctx.deps.services.portfolios.retirementBlockers(ctx.actor, portfolioId);
  const rows = [];
  if (blockers.openOrders > 0)
    rows.push([
      button(
        `✖️ ${ctx.t("portfolio-cancel-orders", { count: blockers.openOrders })}`,
        cancelPortfolioOrders.pack({ portfolioId }),
      ),
    ]);
  if (blockers.openPositions > 0)
    rows.push([
      button(
        `📉 ${ctx.t("portfolio-close-positions", { count: blockers.openPositions })}`,
        closePortfolioPositions.pack({ portfolioId }),
      ),
    ]);
  if (rows.length === 0)
    rows.push([
      button(`🗑 ${ctx.t("portfolio-delete-now")}`, deletePortfolioNow.pack({ portfolioId })),
    ]);
  return keyboard(rows).inline_keyboard;
}

/** What a press under a refused deletion does: cancel the orders, close the positions, delete. */
export async function flattenAction(
  ctx: ActorContext,
  action: string,
  portfolioId: number,
): Promise<void> {
  const { portfolios, closeout } = ctx.deps.services;
  const t: Translate = (k, p) => ctx.t(k, p);
  let lines: FormattedString[];
  try {
    if (action === "del") {
      const result = await portfolios.deletePortfolio(ctx.actor, portfolioId);
      await ctx.answerCallbackQuery();
      await editFmt(ctx, fmt`${retiredText(t, result)}`, keyboard([]));
      return;
    }
    await ctx.answerCallbackQuery({ text: ctx.t("order-sending") });
    lines =
      action === "co"
        ? cancelReport(t, await closeout.cancelOpenOrders(ctx.actor, portfolioId))
        : closeReport(t, await closeout.closePositions(ctx.actor, portfolioId));
  } catch (e) {
    if (isNotFlat(e)) {
      await ctx.answerCallbackQuery();
      await editFmt(ctx, fmt`${describeDomainError(t, e)}`, {
        inline_keyboard: await flattenButtons(ctx, portfolioId),
      });
      return;
    }
    if (!isDomainError(e)) throw e;
    await ctx.answerCallbackQuery();
    await editFmt(ctx, fmt`${describeDomainError(t, e)}`, keyboard([]));
    return;
  }
  const blockers = await portfolios.retirementBlockers(ctx.actor, portfolioId);
  const portfolio = await portfolios.getPortfolio(ctx.actor, portfolioId);
  lines.push(
    fmt``,
    fmt`${
      blockers.openOrders === 0 && blockers.openPositions === 0
        ? ctx.t("portfolio-flat-now", { name: portfolio.name })
        : ctx.t("portfolio-still-open", {
            name: portfolio.name,
            orders: blockers.openOrders,
            positions: blockers.openPositions,
          })
    }`,
  );
  await editFmt(ctx, FormattedString.join(lines, "\n"), {
    inline_keyboard: await flattenButtons(ctx, portfolioId),
  });
}
