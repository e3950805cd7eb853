// /rotatekey's conversation: the new API key, secret and (optional) passphrase of one of the
// user's live accounts. Every text message in it is a secret: the capture middleware has already
// deleted it from the chat and swapped its text for a SecretInbox token (nothing secret reaches
// the conversation's stored replay log); the tokens are redeemed inside conversation.external()
// in the one step that checks the key with the exchange and stores it encrypted.
import { isDomainError } from "../../domain/errors.ts";
import { sessionKey } from "../bot.ts";
import type { BotContext, BotConversation, ConvContext } from "../context.ts";
import { describeDomainError } from "../errors.ts";
import { button, keyboard } from "../keyboards.ts";
import { type CapturedSecret, readSecretMarker } from "../secret-inbox.ts";
import { cancellable } from "./ask.ts";

export const ROTATE_KEY = "rotate-key";
const NO_PASSWORD = "rk:nopass";

type SecretField = "apiKey" | "secret" | "password";

/** Waits for one captured secret; says whether its message was deleted. */
async function askSecret(
  conversation: BotConversation,
  field: SecretField,
  options: { skipData?: string } = {},
): Promise<CapturedSecret | null> {
  for (;;) {
    const ctx = await conversation.wait();
    if (options.skipData && ctx.callbackQuery?.data === options.skipData) {
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
    await ctx.reply(ctx.t("rotatekey-expect-text", { field }));
  }
}

export async function rotateKey(
  conversation: BotConversation,
  ctx: ConvContext,
  accountId: number,
): Promise<void> {
  const tokens: string[] = [];
  await cancellable(async () => {
    const account = await conversation.external(async (c: BotContext) => {
      try {
        const a = await c.deps.services.portfolios.getAccount(c.actor!, accountId);
        return { name: a.name, broker: a.brokerName, error: null };
      } catch (e) {
        if (!isDomainError(e)) throw e;
        return { name: "", broker: "", error: describeDomainError((k, p) => c.t(k, p), e) };
      }
    });
    if (account.error) {
      await ctx.reply(account.error);
      return;
    }
    await ctx.reply(ctx.t("rotatekey-ask-key", { name: account.name, broker: account.broker }));
    const apiKey = await askSecret(conversation, "apiKey");
    if (!apiKey) return;
    tokens.push(apiKey.token);
    await ctx.reply(ctx.t("rotatekey-ask-secret"));
    const secret = await askSecret(conversation, "secret");
    if (!secret) return;
    tokens.push(secret.token);
    await ctx.reply(ctx.t("rotatekey-ask-password"), {
      reply_markup: keyboard([[button(ctx.t("rotatekey-no-password"), NO_PASSWORD)]]),
    });
    const password = await askSecret(conversation, "password", { skipData: NO_PASSWORD });
    if (password) tokens.push(password.token);

    await ctx.reply(ctx.t("rotatekey-checking", { broker: account.broker }));
    const outcome = await conversation.external(async (c: BotContext) => {
      const inbox = c.deps.secretInbox;
      const owner = sessionKey(c) ?? "";
      const key = inbox.take(owner, apiKey.token);
      const sec = inbox.take(owner, secret.token);
      const pass = password ? inbox.take(owner, password.token) : undefined;
      if (key === null || sec === null || pass === null) return { keyId: null, error: "lost" };
      try {
        const info = await c.deps.services.credentials.rotate(c.actor!, accountId, {
          apiKey: key,
          secret: sec,
          ...(pass ? { password: pass } : {}),
        });
        return { keyId: info.keyId, error: null };
      } catch (e) {
        if (!isDomainError(e)) throw e;
        return { keyId: null, error: describeDomainError((k, p) => c.t(k, p), e) };
      }
    });
    if (outcome.error === "lost") {
      await ctx.reply(ctx.t("rotatekey-lost"));
      return;
    }
    if (outcome.error !== null) {
      await ctx.reply(ctx.t("rotatekey-failed", { reason: outcome.error }));
      return;
    }
    await ctx.reply(ctx.t("rotatekey-done", { name: account.name, keyId: outcome.keyId ?? "" }));
  }).finally(() =>
    // whatever happened, nothing typed in this conversation stays in memory
    conversation.external((c: BotContext) => c.deps.secretInbox.discard(tokens)),
  );
}
