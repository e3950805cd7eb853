// Conversations that set up trading: a broker account (paper accounts start with cash), a
// portfolio bound to one account, and renaming a portfolio. Database work runs inside
// conversation.external(), so replays never repeat it.
import { brokerLabel } from "../../format/broker.ts";
import { fmt } from "@grammyjs/parse-mode";
import { isDomainError } from "../../../domain/errors.ts";
import { cleanCurrency, cleanName } from "../../../domain/names.ts";
import { readNumber } from "../../../domain/bounds.ts";
import { dec } from "../../../lib/decimal.ts";
import { type BotConversation, type BotContext, type ConvContext, actorOf } from "../../context.ts";
import { describeDomainError } from "../../errors.ts";
import { accountKind } from "../../format/account-kind.ts";
import { formatMoney } from "../../format/numbers.ts";
import { replyFmt } from "../../format/reply.ts";
import {
  ACCOUNT_CURRENCIES,
  STARTING_CASH,
  newPortfolioOn,
  pickAccount,
  pickBroker,
  pickCurrency,
  pickStartingCash,
} from "./callback-data.ts";
import { button, grid, keyboard } from "../../keyboards.ts";
import { askPress, askText, cancellable } from "../../conversations/ask.ts";
import { finishLiveAccount, liveAccountPreflight } from "./live-account.ts";

export const NEW_ACCOUNT = "new-account";
export const NEW_PORTFOLIO = "new-portfolio";
export const RENAME_PORTFOLIO = "rename-portfolio";

function explain(ctx: ConvContext, e: unknown): string {
  if (isDomainError(e)) return describeDomainError((k, p) => ctx.t(k, p), e);
  throw e;
}

export async function newAccount(conversation: BotConversation, ctx: ConvContext): Promise<void> {
  await cancellable(async () => {
    // brokers with a working gateway in this installation can be chosen; the others are shown
    const brokers = await conversation.external(async (c: BotContext) =>
      (await c.deps.services.portfolios.brokers()).map((b) => ({
        ...b,
        available: c.deps.services.gateways.supports(b.code, b.isPaper),
      })),
    );
    const brokerButtons = (c: ConvContext) =>
      keyboard(
        grid(
          brokers.map((b) =>
            button(
              b.available
                ? brokerLabel(c.t.bind(c), b)
                : `${brokerLabel(c.t.bind(c), b)} (${c.t("account-broker-unavailable")})`,
              pickBroker.pack({ code: b.code }),
            ),
          ),
          1,
        ),
      );
    await ctx.reply(ctx.t("account-choose-broker"), { reply_markup: brokerButtons(ctx) });
    let broker: (typeof brokers)[number] | undefined;
    for (;;) {
      const { value, ctx: c } = await askPress(
        conversation,
        pickBroker,
        ctx.t("account-choose-broker-again"),
      );
      const chosen = brokers.find((b) => b.code === value.code);
      if (chosen?.available) {
        broker = chosen;
        break;
      }
      // the press took the buttons off the question: ask again with them, or it is a dead end
      await c.reply(c.t("account-broker-not-available", { broker: chosen?.name ?? value.code }), {
        reply_markup: brokerButtons(c),
      });
    }

    if (!broker) return;
    const chosenBroker = broker;
    const live = chosenBroker.isPaper
      ? null
      : await liveAccountPreflight(conversation, ctx, chosenBroker);
    if (!chosenBroker.isPaper && !live) return;
    await ctx.reply(
      ctx.t("account-ask-name", { example: chosenBroker.isPaper ? "Paper" : chosenBroker.name }),
    );
    const { value: name } = await askText<string>(conversation, async (text, c) => {
      try {
        const clean = cleanName("name", text);
        const taken = await conversation.external((o: BotContext) =>
          o.deps.services.portfolios.accountNameTaken(actorOf(o), clean),
        );
        return taken
          ? { error: c.t("error-account-name-taken", { name: clean }) }
          : { value: clean };
      } catch (e) {
        return { error: explain(c, e) };
      }
    });

    await ctx.reply(ctx.t("account-ask-currency"), {
      reply_markup: keyboard([
        ACCOUNT_CURRENCIES.map((c) => button(c, pickCurrency.pack({ currency: c }))),
      ]),
    });
    const locale = await ctx.i18n.getLocale();
    const { value: currencyAnswer } = await askPress(
      conversation,
      pickCurrency,
      ctx.t("account-ask-currency-again"),
      (text) => {
        try {
          return { value: cleanCurrency("baseCurrency", text) };
        } catch {
          return null;
        }
      },
    );
    const currency = typeof currencyAnswer === "string" ? currencyAnswer : currencyAnswer.currency;

    if (live) {
      await finishLiveAccount(conversation, ctx, NEW_ACCOUNT, {
        broker: chosenBroker,
        name,
        currency,
        testnet: live.testnet,
      });
      return;
    }

    let opening: string | null = null;
    if (chosenBroker.isPaper) {
      await ctx.reply(ctx.t("account-ask-cash", { currency }), {
        reply_markup: keyboard([
          STARTING_CASH.map((a) =>
            button(formatMoney(a, currency, locale), pickStartingCash.pack({ amount: a })),
          ),
        ]),
      });
      const answer = await askPress<{ amount: string }, string>(
        conversation,
        pickStartingCash,
        ctx.t("account-ask-cash-again"),
        (text, c) => {
          try {
            const amount = readNumber("openingBalance", text, "amount");
            return amount.gte(0) && amount.decimalPlaces() <= 8
              ? { value: amount.toFixed() }
              : null;
          } catch (e) {
            if (!isDomainError(e)) throw e;
            return { error: describeDomainError((k, p) => c.t(k, p), e) };
          }
        },
      );
      opening = typeof answer.value === "string" ? answer.value : answer.value.amount;
    }

    const created = await conversation.external(async (c: BotContext) => {
      try {
        const account = await c.deps.services.portfolios.createAccount(actorOf(c), {
          brokerCode: chosenBroker.code,
          name,
          baseCurrency: currency,
          openingBalance: opening ? dec(opening) : null,
        });
        return { id: account.id, error: null };
      } catch (e) {
        return {
          id: null,
          error: isDomainError(e) ? describeDomainError((k, p) => c.t(k, p), e) : String(e),
        };
      }
    });
    if (created.error || !created.id) {
      await ctx.reply(created.error ?? ctx.t("error-unexpected", { ref: "-" }));
      return;
    }
    await replyFmt(
      ctx,
      fmt`${ctx.t("account-created", { name, balance: opening ? formatMoney(opening, currency, locale) : "—" })}`,
      keyboard([
        [button(ctx.t("account-create-portfolio"), newPortfolioOn.pack({ accountId: created.id }))],
      ]),
    );
  });
}

export async function newPortfolio(
  conversation: BotConversation,
  ctx: ConvContext,
  accountId?: number,
): Promise<void> {
  await cancellable(async () => {
    const accounts = await conversation.external((c: BotContext) =>
      c.deps.services.portfolios.listAccounts(actorOf(c)).then((list) =>
        list.map((a) => ({
          id: a.id,
          name: a.name,
          broker: brokerLabel((k, p) => c.t(k, p), { code: a.brokerCode, name: a.brokerName }),
          currency: a.baseCurrency,
          isPaper: a.isPaper,
          testnet: a.testnet,
        })),
      ),
    );
    if (!accounts.length) {
      await ctx.reply(ctx.t("portfolio-need-account"));
      return;
    }
    let account =
      accounts.find((a) => a.id === accountId) ?? (accounts.length === 1 ? accounts[0]! : null);
    if (!account) {
      await ctx.reply(ctx.t("portfolio-choose-account"), {
        reply_markup: keyboard(
          accounts.map((a) => [
            button(
              `${a.name} · ${a.broker}${accountKind(ctx.t.bind(ctx), a)} · ${a.currency}`,
              pickAccount.pack({ accountId: a.id }),
            ),
          ]),
        ),
      });
      const { value } = await askPress(
        conversation,
        pickAccount,
        ctx.t("portfolio-choose-account-again"),
      );
      account = accounts.find((a) => a.id === value.accountId) ?? accounts[0]!;
    }
    await ctx.reply(ctx.t("portfolio-ask-name", { account: account.name }));
    const chosen = account;
    type Created = { name: string | null; isDefault: boolean; error: string | null };
    const { value: created, ctx: last } = await askText<Created>(conversation, async (text) => {
      const result = await conversation.external(async (o: BotContext) => {
        try {
          const p = await o.deps.services.portfolios.createPortfolio(actorOf(o), {
            accountId: chosen.id,
            name: text,
          });
          await o.deps.services.portfolios.setActivePortfolio(actorOf(o), p.id);
          return { name: p.name, isDefault: p.isDefault, error: null };
        } catch (e) {
          if (!isDomainError(e)) throw e;
          return {
            name: null,
            isDefault: false,
            error: describeDomainError((k, p) => o.t(k, p), e),
          };
        }
      });
      return result.error ? { error: result.error } : { value: result };
    });
    await last.reply(
      last.t(created.isDefault ? "portfolio-created-default" : "portfolio-created", {
        name: created.name ?? "",
      }),
    );
  });
}

export async function renamePortfolio(
  conversation: BotConversation,
  ctx: ConvContext,
  portfolioId: number,
): Promise<void> {
  await cancellable(async () => {
    await ctx.reply(ctx.t("portfolio-ask-new-name"));
    const { value: name, ctx: last } = await askText<string>(conversation, async (text) => {
      const result = await conversation.external(async (o: BotContext) => {
        try {
          return {
            name: (await o.deps.services.portfolios.renamePortfolio(actorOf(o), portfolioId, text))
              .name,
            error: null,
          };
        } catch (e) {
          if (!isDomainError(e)) throw e;
          return { name: null, error: describeDomainError((k, p) => o.t(k, p), e) };
        }
      });
      return result.error || !result.name ? { error: result.error ?? "" } : { value: result.name };
    });
    await last.reply(last.t("portfolio-renamed", { name }));
  });
}
