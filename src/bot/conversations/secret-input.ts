// Asking for a secret (an exchange API key, secret or passphrase) inside a conversation, for any
// conversation that needs one (/rotatekey; /newaccount for live brokers).
//
// A conversation stores every update it receives in its replay log (the sessions table), so the
// secret must be out of the update before the conversation sees it. askSecret() arms the capture
// for the next message of this person in this chat, in the session (so it survives a restart),
// naming the conversation; the secret-capture middleware then deletes that message from the chat,
// moves its text into the in-memory SecretInbox and hands the conversation a token instead.
// redeemSecret() turns a token back into the secret, inside conversation.external() only, in the
// step that encrypts or checks it (never return the secret from external(): its result is logged).
import { sessionKey } from "../bot.ts";
import type { BotContext, BotConversation, SessionData } from "../context.ts";
import { type CapturedSecret, readSecretMarker } from "../secret-inbox.ts";

/** How long an armed capture waits for the secret. */
const ARM_MS = 15 * 60_000;

export type SecretField = "apiKey" | "secret" | "password";

/** The armed capture in the session: the next text message of the conversation is a secret. */
export type SecretEntry = NonNullable<SessionData["secretEntry"]>;

/** Whether this update's text is a secret to capture (the armed conversation is still active). */
export function secretExpected(ctx: BotContext, now = Date.now()): boolean {
  const entry = ctx.session.secretEntry;
  if (!entry) return false;
  if (entry.until <= now || (ctx.conversation.active()[entry.conversation] ?? 0) === 0) {
    delete ctx.session.secretEntry;
    return false;
  }
  return true;
}

/**
 * Asks nothing itself (send the question first): arms the capture, then waits for the secret.
 * Returns the captured token, or null when `skipData` (a "no passphrase" button) is pressed.
 * Says "I deleted your message with the …" (or asks the user to delete it if that failed).
 */
export async function askSecret(
  conversation: BotConversation,
  conversationId: string,
  field: SecretField,
  options: { skipData?: string } = {},
): Promise<CapturedSecret | null> {
  const arm = () =>
    conversation.external((c: BotContext) => {
      c.session.secretEntry = { conversation: conversationId, until: Date.now() + ARM_MS };
    });
  await arm();
  for (;;) {
    const ctx = await conversation.wait();
    if (options.skipData && ctx.callbackQuery?.data === options.skipData) {
      await conversation.external((c: BotContext) => void delete c.session.secretEntry);
      await ctx.answerCallbackQuery();
      await ctx
        .editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } })
        .catch(() => undefined);
      return null;
    }
    const captured = readSecretMarker(ctx.message?.text);
    if (captured) {
      await ctx.reply(ctx.t(captured.deleted ? "secret-deleted" : "secret-not-deleted", { field }));
      return captured;
    }
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("button-stale") });
    await ctx.reply(ctx.t("secret-expect-text", { field }));
    // a photo or a sticker does not disarm it, but a stale arm is renewed to be safe
    await arm();
  }
}

/** The secret behind a token, once; null when gone (restart, expiry) or not this chat's. */
export function redeemSecret(c: BotContext, token: string): string | null {
  return c.deps.secretInbox.take(sessionKey(c) ?? "", token);
}
