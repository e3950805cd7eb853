// Catches whatever a handler throws: domain errors become the localized explanation, anything
// else is logged with context and answered with a short apology. A callback query is always
// answered, so the user's button stops spinning.
//
// bot.ts installs it twice: around the handlers (inside i18n, so the user's chosen language is
// used) and around loading the user, where a database that cannot be reached would otherwise
// fail the update before any boundary, leaving the user without an answer; there the sender's
// Telegram language is used.
import { GrammyError, type MiddlewareFn } from "grammy";
import { describeError, isBlockedError } from "../errors.ts";
import type { BotContext } from "../context.ts";
import { type Translate, pickLocale, translatorFor } from "../i18n.ts";
import { markUpdateFailed } from "./metrics.ts";

export function errorBoundary(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (isBlockedError(error)) {
        if (ctx.user)
          await ctx.deps.services.chats.markInactive(
            String(ctx.chat?.id ?? ctx.user.telegramUserId),
            error instanceof GrammyError ? error.description : "blocked",
          );
        return;
      }
      markUpdateFailed(ctx, error);
      const text = describeError(translator(ctx), error, ctx.deps.logger, {
        update: ctx.update.update_id,
        user: ctx.user?.id,
      });
      try {
        if (ctx.callbackQuery) {
          // a conversation may have answered the press already (its own context): Telegram then
          // refuses a second answer, and the explanation goes to the chat instead
          const answered = await ctx
            .answerCallbackQuery({ text: text.slice(0, 200), show_alert: text.length > 60 })
            .then(
              () => true,
              (e: unknown) => {
                if (e instanceof GrammyError && e.error_code === 400 && ctx.chat) return false;
                throw e;
              },
            );
          if (!answered) await ctx.reply(text);
        } else if (ctx.chat) await ctx.reply(text);
      } catch (replyError) {
        ctx.deps.logger.warn({ err: replyError }, "could not tell the user about an error");
      }
    }
  };
}

/** The context's translator, or (i18n not reached yet) one for the sender's Telegram language. */
function translator(ctx: BotContext): Translate {
  // ctx.t is installed by the i18n middleware: absent when the update failed before it
  if (typeof (ctx as Partial<BotContext>).t === "function") return (k, p) => ctx.t(k, p);
  const { i18n, config } = ctx.deps;
  return translatorFor(i18n, pickLocale(null, ctx.from?.language_code, config.DEFAULT_LOCALE));
}
