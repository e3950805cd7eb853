// The portfolio buttons outside the /portfolio menu: "create a portfolio on this account" under a
// new account, and the ways out of a refused deletion (see portfolio-deletion.ts).
import { Composer } from "grammy";
import type { BotContext } from "../../context.ts";
import { inScope, refuse } from "../../middlewares/access.ts";
import {
  cancelPortfolioOrders,
  closePortfolioPositions,
  deletePortfolioNow,
  newPortfolioOn,
} from "./callback-data.ts";
import { flattenAction } from "./portfolio-deletion.ts";
import { NEW_PORTFOLIO } from "./portfolio-setup.ts";

/** The "create a portfolio on this account" button shown after /newaccount, and the buttons
 * of a refused deletion (cancel open orders, close positions, delete once flat). */
export function portfolioButtonsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const flatten = [
    ["co", cancelPortfolioOrders],
    ["cp", closePortfolioPositions],
    ["del", deletePortfolioNow],
  ] as const;
  for (const [action, codec] of flatten)
    composer.callbackQuery(codec.filter, async (ctx) => {
      if (!inScope(ctx, "user")) return refuse(ctx, "user");
      const pressed = codec.unpack(ctx.callbackQuery.data);
      if (!pressed) return;
      await flattenAction(ctx, action, pressed.portfolioId);
    });
  composer.callbackQuery(/^pf:new:/, async (ctx) => {
    if (!inScope(ctx, "user")) return refuse(ctx, "user");
    // a malformed id still opens the conversation, which then asks for the account
    const accountId = newPortfolioOn.unpack(ctx.callbackQuery.data)?.accountId;
    await ctx.answerCallbackQuery();
    await ctx
      .editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } })
      .catch(() => undefined);
    await ctx.conversation.enter(NEW_PORTFOLIO, accountId ?? undefined);
  });
  return composer;
}
