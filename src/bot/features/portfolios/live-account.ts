// The live part of /newaccount: before anything secret is asked, the chat must be private and the
// installation able to check and store keys (a master key, a probe for the broker); then testnet
// or real money. After the name and currency, the API key and secret are asked with askSecret
// (each message deleted from the chat at once, and the bot says so), redeemed inside the one
// external step that checks the pair with the exchange and stores account and key together
// (LiveAccountService.open). Any refusal is explained and nothing is written.
import { fmt } from "@grammyjs/parse-mode";
import { isDomainError } from "../../../domain/errors.ts";
import { type BotContext, type BotConversation, type ConvContext, actorOf } from "../../context.ts";
import { describeDomainError } from "../../errors.ts";
import { replyFmt } from "../../format/reply.ts";
import { newPortfolioOn, pickTestnet } from "./callback-data.ts";
import { button, keyboard } from "../../keyboards.ts";
import { askPress } from "../../conversations/ask.ts";
import { askSecret, redeemSecret } from "../../conversations/secret-input.ts";

export interface LiveBroker {
  code: string;
  name: string;
}

/**
 * Checks that keys can be entered here and asks testnet or real money. Returns the choice, or
 * null after explaining why the account cannot be added (the conversation then ends).
 */
export async function liveAccountPreflight(
  conversation: BotConversation,
  ctx: ConvContext,
  broker: LiveBroker,
): Promise<{ testnet: boolean } | null> {
  // a key typed in a group would be read by everyone in it before the bot deletes it
  if (ctx.chat?.type !== "private") {
    await ctx.reply(ctx.t("command-private-only", { command: "newaccount" }));
    return null;
  }
  const readiness = await conversation.external((c: BotContext) =>
    c.deps.services.credentials.readiness(broker.code),
  );
  if (readiness === "no-master-key") {
    await ctx.reply(ctx.t("error-secrets-no-master-key"));
    return null;
  }
  if (readiness === "no-probe") {
    await ctx.reply(ctx.t("error-key-not-configured", { broker: broker.name }));
    return null;
  }
  await ctx.reply(ctx.t("account-ask-testnet", { broker: broker.name }), {
    reply_markup: keyboard([
      [button(ctx.t("account-testnet-yes"), pickTestnet.pack({ testnet: "yes" }))],
      [button(ctx.t("account-testnet-no"), pickTestnet.pack({ testnet: "no" }))],
    ]),
  });
  const { value } = await askPress(conversation, pickTestnet, ctx.t("account-ask-testnet-again"));
  return { testnet: value.testnet === "yes" };
}

/** Asks the key pair, checks it with the exchange and stores the account with it. */
export async function finishLiveAccount(
  conversation: BotConversation,
  ctx: ConvContext,
  conversationId: string,
  input: { broker: LiveBroker; name: string; currency: string; testnet: boolean },
): Promise<void> {
  const tokens: string[] = [];
  try {
    await ctx.reply(ctx.t("account-ask-key", { broker: input.broker.name }));
    const apiKey = await askSecret(conversation, conversationId, "apiKey");
    if (!apiKey) return;
    tokens.push(apiKey.token);
    await ctx.reply(ctx.t("rotatekey-ask-secret"));
    const secret = await askSecret(conversation, conversationId, "secret");
    if (!secret) return;
    tokens.push(secret.token);

    await ctx.reply(ctx.t("rotatekey-checking", { broker: input.broker.name }));
    const outcome = await conversation.external(async (c: BotContext) => {
      const key = redeemSecret(c, apiKey.token);
      const sec = redeemSecret(c, secret.token);
      if (key === null || sec === null) return { id: null, keyId: null, error: "lost" };
      try {
        const account = await c.deps.services.liveAccounts.open(
          actorOf(c),
          {
            brokerCode: input.broker.code,
            name: input.name,
            baseCurrency: input.currency,
            testnet: input.testnet,
          },
          { apiKey: key, secret: sec },
        );
        return { id: account.id, keyId: c.deps.services.credentials.keyId(), error: null };
      } catch (e) {
        if (!isDomainError(e)) throw e;
        return { id: null, keyId: null, error: describeDomainError((k, p) => c.t(k, p), e) };
      }
    });
    if (outcome.error === "lost") {
      await ctx.reply(ctx.t("account-key-lost"));
      return;
    }
    if (outcome.error !== null || outcome.id === null) {
      await ctx.reply(ctx.t("account-live-failed", { reason: outcome.error ?? "" }));
      return;
    }
    await replyFmt(
      ctx,
      fmt`${ctx.t(input.testnet ? "account-live-created-testnet" : "account-live-created", {
        name: input.name,
        broker: input.broker.name,
        keyId: outcome.keyId ?? "",
      })}`,
      keyboard([
        [button(ctx.t("account-create-portfolio"), newPortfolioOn.pack({ accountId: outcome.id }))],
      ]),
    );
  } finally {
    // whatever happened, nothing typed in this conversation stays in memory
    await conversation.external((c: BotContext) => c.deps.secretInbox.discard(tokens));
  }
}
