// Takes secrets out of the chat before anything stores them. When `capturing(ctx)` says a
// message is a secret (a conversation armed it, see conversations/secret-input.ts), its text is moved into the
// in-memory SecretInbox, the message is deleted from the chat at once, and the update goes on
// with a marker in place of the text (see secret-inbox.ts). Installed after the conversations
// plugin and command-leaves-conversation (so /cancel still works), before the conversations.
import type { MiddlewareFn } from "grammy";
import { sessionKey } from "../bot.ts";
import type { BotContext } from "../context.ts";
import { type SecretInbox, secretMarker } from "../secret-inbox.ts";

export function secretCapture(
  inbox: SecretInbox,
  capturing: (ctx: BotContext) => boolean,
): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const message = ctx.update.message;
    if (!message?.text || !capturing(ctx)) return next();
    const owner = sessionKey(ctx);
    if (owner === undefined) return next();
    // one message per arming: the conversation arms again for the next secret
    delete ctx.session.secretEntry;
    const token = inbox.put(owner, message.text);
    // the secret leaves the update before any conversation, session or log can see it
    message.text = "";
    delete message.entities;
    let deleted = true;
    try {
      await ctx.api.deleteMessage(message.chat.id, message.message_id);
    } catch (err) {
      // too old, or already gone: the user is asked to delete it themselves
      deleted = false;
      ctx.deps.logger.warn(
        { err, chat: message.chat.id, messageId: message.message_id },
        "could not delete a message carrying a secret",
      );
    }
    message.text = secretMarker(token, deleted);
    await next();
  };
}
