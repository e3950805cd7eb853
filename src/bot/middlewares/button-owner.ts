// Authorization per person, not per chat. Two guards and one transformer:
// - forgedChatGuard: in a private chat Telegram's sender is always the chat's own user; an update
//   claiming otherwise is forged (a fake Bot API, a replayed payload) and is dropped before
//   anything — the user row, the chat registry, a session — is touched.
// - buttonOwnerGuard: a button press counts only when it comes from the person the button was
//   made for (src/lib/button-owner.ts); anyone else gets a short toast and nothing changes. The
//   owner tag is stripped before any handler or menu reads the data.
// - ownerTransformer: tags the buttons of every message sent or edited into a group or channel
//   with the person the update came from.
import type { MiddlewareFn, Transformer } from "grammy";
import { isPrivateChatId, splitOwner, tagMarkup } from "../../lib/button-owner.ts";
import type { BotContext } from "../context.ts";

export function forgedChatGuard(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const chat = ctx.chat;
    const from = ctx.from;
    if (chat?.type === "private" && from && chat.id !== from.id) {
      ctx.deps.logger.warn(
        { update: ctx.update.update_id, from: from.id, chat: chat.id },
        "dropped an update whose sender is not the private chat's user",
      );
      if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
      return;
    }
    await next();
  };
}

export function buttonOwnerGuard(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const query = ctx.callbackQuery;
    if (query?.data !== undefined) {
      const chat = query.message?.chat;
      // Private chats are bound by the chat itself and their buttons are never tagged: the data
      // is left whole there. Splitting it would misread a menu button whose hash happens to hold
      // "~" and a few letters (the menu plugin's hash is arbitrary text) as another person's tag.
      const { data, owner } =
        chat?.type === "private" ? { data: query.data, owner: null } : splitOwner(query.data);
      const presser = String(query.from.id);
      // no message: an inline-mode message, which this bot never sends
      const allowed = chat !== undefined && (chat.type === "private" || owner === presser);
      if (!allowed) {
        ctx.deps.logger.info(
          { update: ctx.update.update_id, from: query.from.id, chat: chat?.id, owner },
          "refused a button press by someone the button was not made for",
        );
        await ctx.answerCallbackQuery({ text: ctx.t("button-not-yours") });
        return;
      }
      query.data = data;
    }
    ctx.api.config.use(ownerTransformer(ctx.from?.id));
    await next();
  };
}

const CHAT_METHODS = /^(send|edit|copy)/;

/**
 * Tags the inline buttons of messages sent or edited in groups and channels with `owner` (the
 * person this update came from). Installed per update, inside the menus' transformer, so menus are
 * already rendered to plain keyboards when it runs. Without an owner (a channel post) buttons stay
 * untagged, which makes them pressable by no one in a shared chat.
 */
export function ownerTransformer(owner: number | undefined): Transformer {
  return (prev, method, payload, signal) => {
    const p = payload as { chat_id?: unknown; reply_markup?: unknown };
    if (
      owner !== undefined &&
      CHAT_METHODS.test(method) &&
      p.reply_markup !== undefined &&
      p.chat_id !== undefined &&
      !isPrivateChatId(p.chat_id)
    ) {
      payload = { ...payload, reply_markup: tagMarkup(p.reply_markup, owner) } as typeof payload;
    }
    return prev(method, payload, signal);
  };
}
