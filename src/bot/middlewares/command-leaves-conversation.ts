// A command typed in the middle of a step-by-step conversation is a command, not an answer: the
// conversation is left (the user is told which one) and the command runs, so "/price ETHUSDT"
// mid-order shows the price instead of "is not a positive number". "/cancel" on its own ends the
// conversation, as each prompt promises; "/cancel 4" leaves it and cancels order 4. Text that is
// not one of our commands (a typo like "/prcie") stays an answer, so a slip loses nothing.
import type { MiddlewareFn } from "grammy";
import type { CommandRegistry } from "../commands/registry.ts";
import type { BotContext } from "../context.ts";

/** The i18n key naming each conversation in "I left … to run /x". */
const FLOW_KEYS: Record<string, string> = {
  onboarding: "flow-onboarding",
  "settings-time-zone": "flow-settings-time-zone",
  "new-account": "flow-new-account",
  "new-portfolio": "flow-new-portfolio",
  "rename-portfolio": "flow-rename-portfolio",
  "order-entry": "flow-order-entry",
  "new-schedule": "flow-new-schedule",
  "new-alert": "flow-new-alert",
  "new-screener": "flow-new-screener",
  "risk-policy": "flow-risk-policy",
  "rotate-key": "flow-rotate-key",
  "new-strategy": "flow-new-strategy",
};

export function flowKeyOf(conversationId: string): string {
  return FLOW_KEYS[conversationId] ?? "flow-generic";
}

export function commandLeavesConversation(registry: CommandRegistry): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const text = ctx.message?.text;
    const entity = ctx.message?.entities?.[0];
    if (!text || entity?.type !== "bot_command" || entity.offset !== 0) return next();
    const [name = "", mention] = text.slice(1, entity.length).split("@");
    // "/price@other_bot" in a group is for someone else
    if (mention && mention.toLowerCase() !== ctx.me.username.toLowerCase()) return next();
    const command = name.toLowerCase();
    if (command !== "cancel" && !registry.get(command)) return next();
    const active = Object.keys(ctx.conversation.active());
    if (active.length === 0) return next();

    await ctx.conversation.exitAll();
    const flow = ctx.t(flowKeyOf(active[0]!));
    if (command === "cancel" && text.slice(entity.length).trim() === "") {
      await ctx.reply(ctx.t("conversation-canceled-flow", { flow }));
      return;
    }
    await ctx.reply(ctx.t("conversation-left", { flow, command }));
    await next();
  };
}
