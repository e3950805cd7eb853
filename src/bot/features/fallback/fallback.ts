// What is left after every feature had its chance: unknown commands get a short hint to /help;
// free text outside a conversation gets a nudge (approved users) or their access status; stale
// buttons are answered so they stop spinning and change nothing.
import { Composer } from "grammy";
import { canUseProduct } from "../../../domain/users/actor.ts";
import type { BotContext } from "../../context.ts";
import { denial } from "../../middlewares/access.ts";

export function fallbackFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const privateChat = composer.chatType("private");
  privateChat.on("message:text", async (ctx) => {
    const text = ctx.message.text.trim();
    if (text.startsWith("/")) {
      const command = text.slice(1).split(/[\s@]/)[0] ?? "";
      await ctx.reply(ctx.t("unknown-command", { command: command.slice(0, 32) }));
      return;
    }
    if (ctx.actor && canUseProduct(ctx.actor)) await ctx.reply(ctx.t("free-text-hint"));
    else await ctx.reply(denial(ctx, "user"));
  });
  privateChat.on("message", (ctx) => ctx.reply(ctx.t("free-text-hint")));
  composer.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: ctx.t("button-stale") }));
  return composer;
}
