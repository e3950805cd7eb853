// Identifies the person behind every update (messages, button presses, anything with a sender):
// registers them on first contact, refreshes their Telegram names, and keeps their private chat
// registered as a notification destination. Authorization is then decided per update from this
// row, never from the chat.
import type { MiddlewareFn } from "grammy";
import type { BotContext } from "../context.ts";

export function loadUser(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const from = ctx.from;
    if (from && !from.is_bot) {
      const { services } = ctx.deps;
      // a private chat is registered only as its own user's (forgedChatGuard drops the rest)
      const privateChat =
        ctx.chat?.type === "private" && ctx.chat.id === from.id ? String(ctx.chat.id) : null;
      // one read: the user, and whether their private chat is registered and active
      const { user, privateChatActive } = await services.users.identify(
        {
          telegramUserId: String(from.id),
          username: from.username ?? null,
          firstName: from.first_name ?? null,
          lastName: from.last_name ?? null,
          languageCode: from.language_code ?? null,
        },
        privateChat,
      );
      ctx.user = user;
      ctx.actor = services.users.actorOf(user);
      if (privateChat !== null && !privateChatActive) {
        // new, or writing to us again, which means they unblocked the bot: resume notifications
        await services.chats.touchPrivateChat(user.id, privateChat);
      }
    }
    await next();
  };
}
