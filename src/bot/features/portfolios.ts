// Accounts and portfolios from Telegram: /portfolio (an inline menu listing the portfolios with
// the active one marked; one tap switches the active portfolio for every following command, and
// the menu redraws in place; new, rename, delete with confirmation, make default), /newaccount,
// /newportfolio, /balance, /deposit and /withdraw (paper accounts).
import { Menu, MenuRange } from "@grammyjs/menu";
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { Composer } from "grammy";
import { readNumber } from "../../domain/bounds.ts";
import { isDomainError } from "../../domain/errors.ts";
import type { CommandRegistry } from "../commands/registry.ts";
import type { BotContext } from "../context.ts";
import { NEW_ACCOUNT, NEW_PORTFOLIO, RENAME_PORTFOLIO } from "../conversations/portfolio-setup.ts";
import { describeDomainError } from "../errors.ts";
import { formatMoney } from "../format/numbers.ts";
import { replyFmt } from "../format/reply.ts";
import { parseData, parseId } from "../keyboards.ts";
import { requireScope } from "../middlewares/access.ts";

async function portfolioText(ctx: BotContext): Promise<FormattedString> {
  const list = await ctx.deps.services.portfolios.listPortfolios(ctx.actor!);
  const title = FormattedString.b(ctx.t("portfolio-title"));
  if (!list.length) return fmt`${title}\n\n${ctx.t("portfolio-none")}`;
  const active = list.find((p) => p.isActive);
  const lines = list.map(
    (p) =>
      fmt`${p.isActive ? "▶️" : "▫️"} ${p.isActive ? FormattedString.b(p.name) : p.name} — ${p.accountName} · ${p.brokerCode}${p.isPaper ? ` (${ctx.t("portfolio-paper")})` : ""} · ${p.baseCurrency}${p.isDefault ? ` · ⭐ ${ctx.t("portfolio-default")}` : ""}`,
  );
  return fmt`${title}\n${ctx.t("portfolio-tap-to-switch")}\n\n${FormattedString.join(lines, "\n")}\n\n${ctx.t("portfolio-active", { name: active?.name ?? "—" })}`;
}

/**
 * Redraws the menu's message with fresh text. No reply_markup here on purpose: the menu plugin
 * puts in the menu being shown (or the one ctx.menu.nav chose), in this very edit. Passing the
 * menu as well made the plugin send a second edit after the handler for the nav, which Telegram
 * refuses as "message is not modified" (the user saw an error after a change that had worked).
 */
async function redraw(ctx: BotContext): Promise<void> {
  const text = await portfolioText(ctx);
  await ctx.editMessageText(text.text, { entities: text.entities }).catch((e: unknown) => {
    if (!(e instanceof Error && /message is not modified/.test(e.message))) throw e;
  });
}

async function explainFailure(ctx: BotContext, e: unknown): Promise<void> {
  if (!isDomainError(e)) throw e;
  await ctx.answerCallbackQuery({
    text: describeDomainError((k, p) => ctx.t(k, p), e).slice(0, 200),
    show_alert: true,
  });
}

export function createPortfolioMenu(): Menu<BotContext> {
  const menu = new Menu<BotContext>("portfolios", { onMenuOutdated: false, autoAnswer: false });
  const confirmDelete = new Menu<BotContext>("portfolios-delete", {
    onMenuOutdated: false,
    autoAnswer: false,
  });

  menu.dynamic(async (ctx) => {
    const range = new MenuRange<BotContext>();
    const list = ctx.actor
      ? await ctx.deps.services.portfolios.listPortfolios(ctx.actor).catch(() => [])
      : [];
    for (const p of list) {
      range
        .text(`${p.isActive ? "✅ " : ""}${p.name}`, async (c) => {
          if (!(await requireScope(c, "user"))) return;
          try {
            await c.deps.services.portfolios.setActivePortfolio(c.actor!, p.id);
          } catch (e) {
            return explainFailure(c, e);
          }
          await c.answerCallbackQuery({ text: c.t("portfolio-switched", { name: p.name }) });
          await redraw(c);
        })
        .row();
    }
    return range;
  });
  menu
    .text(
      (ctx) => `➕ ${ctx.t("portfolio-new")}`,
      async (ctx) => {
        if (!(await requireScope(ctx, "user"))) return;
        await ctx.answerCallbackQuery();
        await ctx.conversation.enter(NEW_PORTFOLIO);
      },
    )
    .text(
      (ctx) => `⭐ ${ctx.t("portfolio-make-default")}`,
      async (ctx) => {
        if (!(await requireScope(ctx, "user"))) return;
        try {
          const active = await ctx.deps.services.portfolios.resolvePortfolio(ctx.actor!);
          await ctx.deps.services.portfolios.setDefaultPortfolio(ctx.actor!, active.id);
          await ctx.answerCallbackQuery({
            text: ctx.t("portfolio-default-set", { name: active.name }),
          });
        } catch (e) {
          return explainFailure(ctx, e);
        }
        await redraw(ctx);
      },
    )
    .row()
    .text(
      (ctx) => `✏️ ${ctx.t("portfolio-rename")}`,
      async (ctx) => {
        if (!(await requireScope(ctx, "user"))) return;
        try {
          const active = await ctx.deps.services.portfolios.resolvePortfolio(ctx.actor!);
          await ctx.answerCallbackQuery();
          await ctx.conversation.enter(RENAME_PORTFOLIO, active.id);
        } catch (e) {
          return explainFailure(ctx, e);
        }
      },
    )
    .submenu(
      (ctx) => `🗑 ${ctx.t("portfolio-delete")}`,
      "portfolios-delete",
      (ctx) => ctx.answerCallbackQuery(),
    );

  confirmDelete
    .text(
      (ctx) => `🗑 ${ctx.t("portfolio-delete-confirm")}`,
      async (ctx) => {
        if (!(await requireScope(ctx, "user"))) return;
        try {
          const active = await ctx.deps.services.portfolios.resolvePortfolio(ctx.actor!);
          await ctx.deps.services.portfolios.deletePortfolio(ctx.actor!, active.id);
          await ctx.answerCallbackQuery({
            text: ctx.t("portfolio-deleted", { name: active.name }),
          });
        } catch (e) {
          return explainFailure(ctx, e);
        }
        ctx.menu.nav("portfolios");
        await redraw(ctx);
      },
    )
    .row()
    .back(
      (ctx) => `« ${ctx.t("portfolio-delete-keep")}`,
      (ctx) => ctx.answerCallbackQuery(),
    );

  menu.register(confirmDelete);
  return menu;
}

async function balanceCommand(ctx: BotContext): Promise<void> {
  const accounts = await ctx.deps.services.cash.balances(ctx.actor!);
  if (!accounts.length) {
    await ctx.reply(ctx.t("balance-none"));
    return;
  }
  const locale = await ctx.i18n.getLocale();
  const blocks = accounts.map(({ account, balances }) => {
    const head = fmt`${FormattedString.b(account.name)} · ${account.brokerName}`;
    const body = account.isPaper
      ? balances.length
        ? FormattedString.join(
            balances.map((b) => fmt`  ${formatMoney(b.amount, b.currency, locale)}`),
            "\n",
          )
        : fmt`  ${ctx.t("balance-empty")}`
      : fmt`  ${ctx.t("balance-live-from-broker")}`;
    return fmt`${head}\n${body}`;
  });
  await replyFmt(
    ctx,
    fmt`${FormattedString.b(ctx.t("balance-title"))}\n\n${FormattedString.join(blocks, "\n\n")}`,
  );
}

/** /deposit 500 [USDT] and /withdraw 200 [USDT] on the active portfolio's (paper) account. */
async function cashCommand(ctx: BotContext, kind: "deposit" | "withdraw"): Promise<void> {
  const [amountText, currency] = (typeof ctx.match === "string" ? ctx.match : "")
    .trim()
    .split(/\s+/);
  if (!amountText) {
    await ctx.reply(ctx.t(`cash-usage-${kind}`));
    return;
  }
  // a bad number is explained (not a number, ambiguous, too large) before anything is looked up
  const amount = readNumber("amount", amountText, "amount");
  const portfolio = await ctx.deps.services.portfolios.resolvePortfolio(ctx.actor!);
  const entry =
    kind === "deposit"
      ? await ctx.deps.services.cash.deposit(ctx.actor!, portfolio.accountId, amount, currency)
      : await ctx.deps.services.cash.withdraw(ctx.actor!, portfolio.accountId, amount, currency);
  const locale = await ctx.i18n.getLocale();
  await ctx.reply(
    ctx.t(kind === "deposit" ? "cash-deposited" : "cash-withdrawn", {
      amount: formatMoney(amount, entry.currency, locale),
      account: portfolio.accountName,
      balance: formatMoney(entry.balanceAfter, entry.currency, locale),
    }),
  );
}

export function registerPortfolios(registry: CommandRegistry, menu: Menu<BotContext>): void {
  registry.add({
    name: "portfolio",
    scope: "user",
    descriptionKey: "cmd-portfolio",
    exampleKey: "cmd-portfolio-example",
    handler: async (ctx) => replyFmt(ctx, await portfolioText(ctx), menu),
  });
  registry.add({
    name: "newaccount",
    scope: "user",
    descriptionKey: "cmd-newaccount",
    exampleKey: "cmd-newaccount-example",
    handler: (ctx) => ctx.conversation.enter(NEW_ACCOUNT),
  });
  registry.add({
    name: "newportfolio",
    scope: "user",
    descriptionKey: "cmd-newportfolio",
    exampleKey: "cmd-newportfolio-example",
    handler: (ctx) => ctx.conversation.enter(NEW_PORTFOLIO),
  });
  registry.add({
    name: "balance",
    scope: "user",
    descriptionKey: "cmd-balance",
    exampleKey: "cmd-balance-example",
    handler: balanceCommand,
  });
  registry.add({
    name: "deposit",
    scope: "user",
    descriptionKey: "cmd-deposit",
    exampleKey: "cmd-deposit-example",
    handler: (ctx) => cashCommand(ctx, "deposit"),
  });
  registry.add({
    name: "withdraw",
    scope: "user",
    descriptionKey: "cmd-withdraw",
    exampleKey: "cmd-withdraw-example",
    handler: (ctx) => cashCommand(ctx, "withdraw"),
  });
}

/** The "create a portfolio on this account" button shown after /newaccount. */
export function portfolioButtonsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(/^pf:new:/, async (ctx) => {
    if (!(await requireScope(ctx, "user"))) return;
    const accountId = parseId(parseData(ctx.callbackQuery.data, "pf")?.[1]);
    await ctx.answerCallbackQuery();
    await ctx
      .editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } })
      .catch(() => undefined);
    await ctx.conversation.enter(NEW_PORTFOLIO, accountId ?? undefined);
  });
  return composer;
}
