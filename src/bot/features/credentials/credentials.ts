// /rotatekey [account]: replace the exchange API key of one of the user's live accounts. The
// command picks the account (by name, the only live one, or buttons) and checks that keys can be
// stored here at all before anything secret is asked for; the conversation (rotate-key.ts)
// collects the key and secret.
import { Composer } from "grammy";
import type { AccountView } from "../../../domain/portfolios/portfolio-service.ts";
import { isDomainError } from "../../../domain/errors.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { ROTATE_KEY } from "./rotate-key.ts";
import { describeDomainError } from "../../errors.ts";
import { accountKind } from "../../format/account-kind.ts";
import { button, keyboard } from "../../keyboards.ts";
import { rotateAccount } from "./callback-data.ts";
import { inScope, refuse } from "../../middlewares/access.ts";

async function startRotation(ctx: BotContext, account: AccountView): Promise<void> {
  if (account.isPaper) {
    await ctx.reply(ctx.t("rotatekey-paper", { name: account.name }));
    return;
  }
  const readiness = ctx.deps.services.credentials.readiness(account.brokerCode);
  if (readiness === "no-master-key") {
    await ctx.reply(ctx.t("error-secrets-no-master-key"));
    return;
  }
  if (readiness === "no-probe") {
    await ctx.reply(ctx.t("rotatekey-not-configured", { broker: account.brokerName }));
    return;
  }
  await ctx.conversation.enter(ROTATE_KEY, account.id);
}

async function rotateKeyCommand(ctx: ActorContext): Promise<void> {
  const { credentials, portfolios } = ctx.deps.services;
  if (!credentials.hasMasterKey()) {
    await ctx.reply(ctx.t("error-secrets-no-master-key"));
    return;
  }
  const name = typeof ctx.match === "string" ? ctx.match.trim() : "";
  const accounts = await portfolios.listAccounts(ctx.actor);
  if (name) {
    // someone else's account and no account at all get the same answer
    const found = accounts.find((a) => a.name.toLowerCase() === name.toLowerCase());
    if (!found) {
      await ctx.reply(ctx.t("rotatekey-not-found", { name }));
      return;
    }
    await startRotation(ctx, found);
    return;
  }
  const live = accounts.filter((a) => !a.isPaper);
  if (live.length === 0) {
    await ctx.reply(ctx.t("rotatekey-no-live-accounts"));
    return;
  }
  if (live.length === 1) {
    await startRotation(ctx, live[0]!);
    return;
  }
  await ctx.reply(ctx.t("rotatekey-choose-account"), {
    reply_markup: keyboard(
      live.map((a) => [
        button(
          `${a.name} · ${a.brokerName}${accountKind(ctx.t.bind(ctx), a)}`,
          rotateAccount.pack({ accountId: a.id }),
        ),
      ]),
    ),
  });
}

export function registerCredentials(registry: CommandRegistry): void {
  registry.add({
    name: "rotatekey",
    scope: "user",
    group: "settings",
    descriptionKey: "cmd-rotatekey",
    exampleKey: "cmd-rotatekey-example",
    // a secret is typed next: never in a group
    privateOnly: true,
    handler: rotateKeyCommand,
  });
}

/** The account buttons of /rotatekey. */
export function credentialsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(rotateAccount.filter, async (ctx) => {
    if (!inScope(ctx, "user")) return refuse(ctx, "user");
    await ctx.answerCallbackQuery();
    await ctx
      .editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } })
      .catch(() => undefined);
    const accountId = rotateAccount.unpack(ctx.callbackQuery.data)?.accountId;
    if (accountId === undefined) return;
    try {
      const account = await ctx.deps.services.portfolios.getAccount(ctx.actor, accountId);
      await startRotation(ctx, account);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      await ctx.reply(describeDomainError((k, p) => ctx.t(k, p), e));
    }
  });
  return composer;
}
