// /rotatekey's conversation: the new API key, secret and (optional) passphrase of one of the
// user's live accounts. Each is asked with askSecret (secret-input.ts): the capture middleware
// deletes the message from the chat and swaps its text for a SecretInbox token, so nothing secret
// reaches the conversation's stored replay log; the tokens are redeemed inside
// conversation.external() in the one step that checks the key with the exchange and stores it.
import { isDomainError } from "../../../domain/errors.ts";
import { type BotContext, type BotConversation, type ConvContext, actorOf } from "../../context.ts";
import { describeDomainError } from "../../errors.ts";
import { button, keyboard } from "../../keyboards.ts";
import { cancellable } from "../../conversations/ask.ts";
import { askSecret, redeemSecret } from "../../conversations/secret-input.ts";
import { noPassword } from "./callback-data.ts";

export const ROTATE_KEY = "rotate-key";
const NO_PASSWORD = noPassword.pack({});

export async function rotateKey(
  conversation: BotConversation,
  ctx: ConvContext,
  accountId: number,
): Promise<void> {
  const tokens: string[] = [];
  await cancellable(async () => {
    const account = await conversation.external(async (c: BotContext) => {
      try {
        const a = await c.deps.services.portfolios.getAccount(actorOf(c), accountId);
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
    const apiKey = await askSecret(conversation, ROTATE_KEY, "apiKey");
    if (!apiKey) return;
    tokens.push(apiKey.token);
    await ctx.reply(ctx.t("rotatekey-ask-secret"));
    const secret = await askSecret(conversation, ROTATE_KEY, "secret");
    if (!secret) return;
    tokens.push(secret.token);
    await ctx.reply(ctx.t("rotatekey-ask-password"), {
      reply_markup: keyboard([[button(ctx.t("rotatekey-no-password"), NO_PASSWORD)]]),
    });
    const password = await askSecret(conversation, ROTATE_KEY, "password", {
      skipData: NO_PASSWORD,
    });
    if (password) tokens.push(password.token);

    await ctx.reply(ctx.t("rotatekey-checking", { broker: account.broker }));
    const outcome = await conversation.external(async (c: BotContext) => {
      const key = redeemSecret(c, apiKey.token);
      const sec = redeemSecret(c, secret.token);
      const pass = password ? redeemSecret(c, password.token) : undefined;
      if (key === null || sec === null || pass === null) return { keyId: null, error: "lost" };
      try {
        const info = await c.deps.services.credentials.rotate(actorOf(c), accountId, {
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
