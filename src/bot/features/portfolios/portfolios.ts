// Accounts and portfolios from Telegram: /portfolio (an inline menu listing the portfolios with
// the active one marked; one tap switches the active portfolio for every following command, and
// the menu redraws in place; new, rename, delete with confirmation, make default), /newaccount,
// /newportfolio, /balance (per portfolio: cash, reserved, free, positions; the account's total),
// /deposit, /withdraw and /transfer (paper portfolios' cash).
//
// Delete archives a portfolio with history and deletes one without; while it holds open orders
// or positions it is refused, with buttons to cancel the orders and close the positions at market
// (through the normal trading path), then to delete it once flat.
import { type Menu, MenuRange } from "@grammyjs/menu";
import { CheckedMenu } from "../../checked-menu.ts";
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { Composer } from "grammy";
import { readNumber } from "../../../domain/bounds.ts";
import type { CashLine } from "../../../domain/cash/cash-service.ts";
import type { AccountFunds } from "../../../domain/funds/funds-source.ts";
import { FUNDS_ERROR_KEYS } from "../../format/funds-errors.ts";
import { StateError, isDomainError } from "../../../domain/errors.ts";
import type { RetirementResult } from "../../../domain/portfolios/portfolio-service.ts";
import type {
  RetirementMessage,
  RetirementNotice,
  RetirementNotifier,
} from "../../../domain/portfolios/retirement-notice.ts";
import type { Decimal } from "../../../lib/decimal.ts";
import { parseCashArgs, parseTransferArgs } from "../../cash-args.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import { type ActorContext, type BotContext, withActor } from "../../context.ts";
import { NEW_ACCOUNT, NEW_PORTFOLIO, RENAME_PORTFOLIO } from "./portfolio-setup.ts";
import { describeDomainError } from "../../errors.ts";
import { toHtml } from "../../format/html.ts";
import { accountKind } from "../../format/account-kind.ts";
import { formatMoney, formatNumber } from "../../format/numbers.ts";
import { editFmt, replyFmt } from "../../format/reply.ts";
import type { Translate } from "../../i18n.ts";
import { button, keyboard } from "../../keyboards.ts";
import {
  cancelPortfolioOrders,
  closePortfolioPositions,
  deletePortfolioNow,
  newPortfolioOn,
} from "./callback-data.ts";
import { menuPage, menuPageOf } from "../../menu-pages.ts";
import { pageWindow } from "../../pagination.ts";
import { staleMenu } from "../../stale-menu.ts";
import type { Notifier } from "../../notifier.ts";
import { cancelReport, closeReport } from "../portfolio-controls/closeout-text.ts";
import { inScope, refuse } from "../../middlewares/access.ts";

/** Portfolios per page of /portfolio: the text lists them and the menu has a button for each. */
export const PORTFOLIO_PAGE_SIZE = 8;

async function portfolioText(ctx: ActorContext): Promise<FormattedString> {
  const list = await ctx.deps.services.portfolios.listPortfolios(ctx.actor);
  const title = FormattedString.b(ctx.t("portfolio-title"));
  if (!list.length) return fmt`${title}\n\n${ctx.t("portfolio-none")}`;
  const active = list.find((p) => p.isActive);
  const window = pageWindow(list.length, menuPage(ctx), PORTFOLIO_PAGE_SIZE);
  const lines = list
    .slice(window.offset, window.offset + window.size)
    .map(
      (p) =>
        fmt`${p.isActive ? "▶️" : "▫️"} ${p.isActive ? FormattedString.b(p.name) : p.name} — ${p.accountName} · ${p.brokerCode}${accountKind(ctx.t.bind(ctx), p)} · ${p.baseCurrency}${p.isDefault ? ` · ⭐ ${ctx.t("portfolio-default")}` : ""}`,
    );
  return fmt`${title}\n${ctx.t("portfolio-tap-to-switch")}\n\n${FormattedString.join(lines, "\n")}\n\n${ctx.t("portfolio-active", { name: active?.name ?? "—" })}`;
}

/**
 * Redraws the menu's message with fresh text. No reply_markup here on purpose: the menu plugin
 * puts in the menu being shown (or the one ctx.menu.nav chose), in this very edit. Passing the
 * menu as well made the plugin send a second edit after the handler for the nav, which Telegram
 * refuses as "message is not modified" (the user saw an error after a change that had worked).
 */
async function redraw(ctx: ActorContext): Promise<void> {
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

export function createPortfolioMenu(): CheckedMenu<BotContext> {
  const menu = new CheckedMenu<BotContext>("portfolios", {
    onMenuOutdated: staleMenu,
    autoAnswer: false,
  });
  const confirmDelete = new CheckedMenu<BotContext>("portfolios-delete", {
    onMenuOutdated: staleMenu,
    autoAnswer: false,
  });

  menu.dynamic(async (ctx) => {
    const range = new MenuRange<BotContext>();
    const list = ctx.actor
      ? await ctx.deps.services.portfolios.listPortfolios(ctx.actor).catch(() => [])
      : [];
    const page = menuPageOf(ctx, list, PORTFOLIO_PAGE_SIZE);
    const payload = page.payload;
    for (const p of page.items) {
      range
        .text({ text: `${p.isActive ? "✅ " : ""}${p.name}`, payload }, async (c) => {
          if (!inScope(c, "user")) return refuse(c, "user");
          try {
            await c.deps.services.portfolios.setActivePortfolio(c.actor, p.id);
          } catch (e) {
            return explainFailure(c, e);
          }
          await c.answerCallbackQuery({ text: c.t("portfolio-switched", { name: p.name }) });
          await redraw(c);
        })
        .row();
    }
    page.addPager(range, (c) => redraw(withActor(c)));
    return range;
  });
  // the actions on the active portfolio only when there is one: with none, "New" is all there is
  const makeDefault = async (ctx: BotContext) => {
    if (!inScope(ctx, "user")) return refuse(ctx, "user");
    try {
      const active = await ctx.deps.services.portfolios.resolvePortfolio(ctx.actor);
      await ctx.deps.services.portfolios.setDefaultPortfolio(ctx.actor, active.id);
      await ctx.answerCallbackQuery({
        text: ctx.t("portfolio-default-set", { name: active.name }),
      });
    } catch (e) {
      return explainFailure(ctx, e);
    }
    await redraw(ctx);
  };
  const rename = async (ctx: BotContext) => {
    if (!inScope(ctx, "user")) return refuse(ctx, "user");
    try {
      const active = await ctx.deps.services.portfolios.resolvePortfolio(ctx.actor);
      await ctx.answerCallbackQuery();
      await ctx.conversation.enter(RENAME_PORTFOLIO, active.id);
    } catch (e) {
      return explainFailure(ctx, e);
    }
  };
  menu.dynamic(async (ctx) => {
    const range = new MenuRange<BotContext>();
    const any = ctx.actor
      ? (await ctx.deps.services.portfolios.listPortfolios(ctx.actor).catch(() => [])).length > 0
      : false;
    // the page on screen as payload here too: these rows sit below the page's rows, so the
    // plugin must draw that page to find them (see menu-pages.ts)
    const payload = String(menuPage(ctx));
    range.text(
      { text: (c) => `➕ ${c.t(any ? "portfolio-new" : "portfolio-create-first")}`, payload },
      async (c) => {
        if (!inScope(c, "user")) return refuse(c, "user");
        await c.answerCallbackQuery();
        await c.conversation.enter(NEW_PORTFOLIO);
      },
    );
    if (!any) return range;
    range
      .text({ text: (c) => `⭐ ${c.t("portfolio-make-default")}`, payload }, makeDefault)
      .row()
      .text({ text: (c) => `✏️ ${c.t("portfolio-rename")}`, payload }, rename)
      .submenu({ text: (c) => `🗑 ${c.t("portfolio-delete")}`, payload }, "portfolios-delete", (c) =>
        c.answerCallbackQuery(),
      );
    return range;
  });

  confirmDelete
    .text(
      (ctx) => `🗑 ${ctx.t("portfolio-delete-confirm")}`,
      async (ctx) => {
        if (!inScope(ctx, "user")) return refuse(ctx, "user");
        let portfolioId: number | null = null;
        try {
          const active = await ctx.deps.services.portfolios.resolvePortfolio(ctx.actor);
          portfolioId = active.id;
          const result = await ctx.deps.services.portfolios.deletePortfolio(ctx.actor, active.id);
          await ctx.answerCallbackQuery({ text: retiredText(ctx.t.bind(ctx), result) });
        } catch (e) {
          if (portfolioId !== null && isNotFlat(e)) {
            // refused: say why and offer the ways out in a message of its own
            await ctx.answerCallbackQuery();
            ctx.menu.nav("portfolios");
            await redraw(ctx);
            await replyFmt(ctx, fmt`${describeDomainError((k, p) => ctx.t(k, p), e)}`, {
              inline_keyboard: await flattenButtons(ctx, portfolioId),
            });
            return;
          }
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

/** Why a live account's balances could not be read (spelled out for the translation check). */
async function balanceCommand(ctx: ActorContext): Promise<void> {
  const accounts = await ctx.deps.services.cash.balances(ctx.actor);
  if (!accounts.length) {
    await ctx.reply(ctx.t("balance-none"));
    return;
  }
  const locale = await ctx.i18n.getLocale();
  const m = (d: Decimal, currency: string) => formatMoney(d, currency, locale);
  const line = (l: CashLine) =>
    l.reserved.isZero()
      ? ctx.t("balance-line", {
          currency: l.currency,
          cash: m(l.cash, l.currency),
          positions: m(l.positions, l.currency),
        })
      : ctx.t("balance-line-reserved", {
          currency: l.currency,
          cash: m(l.cash, l.currency),
          reserved: m(l.reserved, l.currency),
          free: m(l.free, l.currency),
          positions: m(l.positions, l.currency),
        });
  const amount = (d: Decimal) => formatNumber(d, locale, { maxDecimals: 8 });
  const fundsBlock = (funds: AccountFunds): FormattedString[] => {
    const c = funds.currency;
    const rows: FormattedString[] = [];
    if (funds.source === "exchange") {
      rows.push(fmt`  ${FormattedString.i(ctx.t("balance-exchange-title"))}`);
      if (!funds.holdings.length) rows.push(fmt`    ${ctx.t("balance-exchange-empty")}`);
      for (const h of funds.holdings)
        rows.push(
          fmt`    ${ctx.t("balance-asset-line", {
            asset: h.asset,
            free: amount(h.free),
            locked: amount(h.locked),
            value: h.value ? m(h.value, c) : ctx.t("balance-unpriced"),
          })}`,
        );
    } else {
      // each other currency's worth in the account currency (its own is already money in it)
      for (const h of funds.holdings.filter((x) => x.asset !== c))
        rows.push(
          fmt`    ${ctx.t("balance-currency-value", {
            currency: h.asset,
            value: h.value ? m(h.value, c) : ctx.t("balance-unpriced"),
          })}`,
        );
    }
    rows.push(fmt`  ${FormattedString.b(ctx.t("balance-equity", { equity: m(funds.equity, c) }))}`);
    if (funds.unpriced.length)
      rows.push(fmt`  ${ctx.t("balance-unpriced-note", { assets: funds.unpriced.join(", ") })}`);
    return rows;
  };
  const blocks = accounts.map(
    ({ account, portfolios, totals, openingBalance, funds, fundsError }) => {
      const head = fmt`${FormattedString.b(account.name)} · ${account.brokerName}${account.isPaper ? "" : accountKind(ctx.t.bind(ctx), account)}`;
      const parts: FormattedString[] = [];
      for (const { portfolio, lines } of portfolios) {
        const name = portfolio.isActive
          ? FormattedString.b(`▶️ ${portfolio.name}`)
          : fmt`${portfolio.name}`;
        const body = !account.isPaper
          ? []
          : lines.length
            ? lines.map((l) => fmt`    ${line(l)}`)
            : [fmt`    ${ctx.t("balance-empty")}`];
        parts.push(
          body.length ? fmt`  ${name}\n${FormattedString.join(body, "\n")}` : fmt`  ${name}`,
        );
      }
      if (openingBalance)
        parts.push(
          fmt`  ${ctx.t("balance-opening-pending", { amount: m(openingBalance, account.baseCurrency) })}`,
        );
      if (!portfolios.length && !openingBalance)
        parts.push(fmt`  ${ctx.t("balance-no-portfolio")}`);
      if (account.isPaper && portfolios.length && totals.length) {
        const sums = totals.map(
          (t) =>
            fmt`    ${ctx.t("balance-total-line", {
              currency: t.currency,
              cash: m(t.cash, t.currency),
              free: m(t.free, t.currency),
              positions: m(t.positions, t.currency),
              total: m(t.total, t.currency),
            })}`,
        );
        parts.push(
          fmt`  ${FormattedString.i(ctx.t("balance-account-total"))}\n${FormattedString.join(sums, "\n")}`,
        );
      }
      if (funds) parts.push(...fundsBlock(funds));
      else if (fundsError)
        parts.push(fmt`  ${ctx.t(FUNDS_ERROR_KEYS[fundsError], { broker: account.brokerName })}`);
      return fmt`${head}\n${FormattedString.join(parts, "\n")}`;
    },
  );
  await replyFmt(
    ctx,
    fmt`${FormattedString.b(ctx.t("balance-title"))}\n\n${FormattedString.join(blocks, "\n\n")}`,
  );
}

/**
 * /deposit 500 [USDT] [Swing] and /withdraw 200 [USDT] [Swing]: the named portfolio, else the
 * active one (paper accounts). The arguments may come in any order.
 */
async function cashCommand(ctx: ActorContext, kind: "deposit" | "withdraw"): Promise<void> {
  const { portfolios, cash } = ctx.deps.services;
  const names = (await portfolios.listPortfolios(ctx.actor)).map((p) => p.name);
  const args = parseCashArgs(typeof ctx.match === "string" ? ctx.match : "", names);
  if ("error" in args) {
    // a number that cannot be read (ambiguous "1,000", too many digits…) is explained, not just
    // answered with the usage
    const first = (typeof ctx.match === "string" ? ctx.match : "").trim().split(/\s+/)[0] ?? "";
    if (args.error === "usage" && /^[-+−]?[\d.,]/.test(first))
      readNumber("amount", first, "amount");
    if (args.error === "unknown-portfolio")
      await portfolios.findPortfolioByName(ctx.actor, args.name);
    await ctx.reply(ctx.t(`cash-usage-${kind}`));
    return;
  }
  const portfolio = await portfolios.resolvePortfolio(ctx.actor, args.portfolio);
  const currency = args.currency ?? undefined;
  const entry =
    kind === "deposit"
      ? await cash.deposit(ctx.actor, portfolio.id, args.amount, currency)
      : await cash.withdraw(ctx.actor, portfolio.id, args.amount, currency);
  const locale = await ctx.i18n.getLocale();
  await ctx.reply(
    ctx.t(kind === "deposit" ? "cash-deposited" : "cash-withdrawn", {
      amount: formatMoney(args.amount, entry.currency, locale),
      portfolio: portfolio.name,
      account: portfolio.accountName,
      balance: formatMoney(entry.balanceAfter, entry.currency, locale),
    }),
  );
}

/** /transfer 2000 [USDT] Main Swing: cash between two portfolios of one account. */
async function transferCommand(ctx: ActorContext): Promise<void> {
  const { portfolios, cash } = ctx.deps.services;
  const list = await portfolios.listPortfolios(ctx.actor);
  const args = parseTransferArgs(
    typeof ctx.match === "string" ? ctx.match : "",
    list.map((p) => p.name),
  );
  if ("error" in args) {
    if (args.error === "unknown-portfolio")
      await portfolios.findPortfolioByName(ctx.actor, args.name);
    await ctx.reply(
      ctx.t(args.error === "ambiguous" ? "cash-transfer-ambiguous" : "cash-usage-transfer"),
    );
    return;
  }
  const byName = (name: string) => list.find((p) => p.name === name)!;
  const result = await cash.transfer(ctx.actor, {
    fromPortfolioId: byName(args.from).id,
    toPortfolioId: byName(args.to).id,
    amount: args.amount,
    currency: args.currency ?? undefined,
  });
  const locale = await ctx.i18n.getLocale();
  const currency = result.from.currency;
  await ctx.reply(
    ctx.t("cash-transferred", {
      amount: formatMoney(args.amount, currency, locale),
      from: result.fromPortfolio.name,
      to: result.toPortfolio.name,
      fromBalance: formatMoney(result.from.balanceAfter, currency, locale),
      toBalance: formatMoney(result.to.balanceAfter, currency, locale),
    }),
  );
}

export function registerPortfolios(registry: CommandRegistry, menu: Menu<BotContext>): void {
  registry.add({
    name: "portfolio",
    scope: "user",
    group: "portfolio",
    descriptionKey: "cmd-portfolio",
    exampleKey: "cmd-portfolio-example",
    handler: async (ctx) => replyFmt(ctx, await portfolioText(ctx), menu),
  });
  registry.add({
    name: "newaccount",
    scope: "user",
    group: "portfolio",
    descriptionKey: "cmd-newaccount",
    exampleKey: "cmd-newaccount-example",
    handler: (ctx) => ctx.conversation.enter(NEW_ACCOUNT),
  });
  registry.add({
    name: "newportfolio",
    scope: "user",
    group: "portfolio",
    descriptionKey: "cmd-newportfolio",
    exampleKey: "cmd-newportfolio-example",
    handler: (ctx) => ctx.conversation.enter(NEW_PORTFOLIO),
  });
  registry.add({
    name: "balance",
    scope: "user",
    group: "portfolio",
    descriptionKey: "cmd-balance",
    exampleKey: "cmd-balance-example",
    handler: balanceCommand,
  });
  registry.add({
    name: "deposit",
    scope: "user",
    group: "portfolio",
    descriptionKey: "cmd-deposit",
    exampleKey: "cmd-deposit-example",
    handler: (ctx) => cashCommand(ctx, "deposit"),
  });
  registry.add({
    name: "withdraw",
    scope: "user",
    group: "portfolio",
    descriptionKey: "cmd-withdraw",
    exampleKey: "cmd-withdraw-example",
    handler: (ctx) => cashCommand(ctx, "withdraw"),
  });
  registry.add({
    name: "transfer",
    scope: "user",
    group: "portfolio",
    descriptionKey: "cmd-transfer",
    exampleKey: "cmd-transfer-example",
    handler: transferCommand,
  });
}

// ───────────── deleting: archive, refusal, getting flat ─────────────

/**
 * Refusals the user can clear (open orders or positions, cash still held): the message keeps the
 * buttons that lead on, so after cancelling, closing or /withdraw the same message finishes it.
 */
function isNotFlat(e: unknown): e is StateError {
  return (
    e instanceof StateError &&
    (e.key === "error-portfolio-not-flat" || e.key === "error-portfolio-has-cash")
  );
}

function retiredText(t: Translate, result: RetirementResult): string {
  return t(result.outcome === "ARCHIVED" ? "portfolio-archived" : "portfolio-deleted", {
    name: result.name,
  });
}

/** Cancel / close buttons for what is still open, or "delete now" once nothing is. */
async function flattenButtons(ctx: ActorContext, portfolioId: number) {
  const blockers = await ctx.deps.services.portfolios.retirementBlockers(ctx.actor, portfolioId);
  const rows = [];
  if (blockers.openOrders > 0)
    rows.push([
      button(
        `✖️ ${ctx.t("portfolio-cancel-orders", { count: blockers.openOrders })}`,
        cancelPortfolioOrders.pack({ portfolioId }),
      ),
    ]);
  if (blockers.openPositions > 0)
    rows.push([
      button(
        `📉 ${ctx.t("portfolio-close-positions", { count: blockers.openPositions })}`,
        closePortfolioPositions.pack({ portfolioId }),
      ),
    ]);
  if (rows.length === 0)
    rows.push([
      button(`🗑 ${ctx.t("portfolio-delete-now")}`, deletePortfolioNow.pack({ portfolioId })),
    ]);
  return keyboard(rows).inline_keyboard;
}

/** The wording of "portfolio archived/deleted; these were paused", in the owner's language. */
export function renderRetirement(
  t: Translate,
  notice: RetirementNotice,
): { title: string; body: FormattedString } {
  const name = notice.portfolio.name ?? `#${notice.portfolio.id}`;
  const title = t(`portfolio-retired-title-${notice.outcome.toLowerCase()}`, { name });
  const lines = [fmt`${t("portfolio-retired-paused")}`];
  const { schedules, alerts, policies } = notice.paused;
  if (schedules.length)
    lines.push(fmt`• ${t("portfolio-retired-schedules", { names: schedules.join(", ") })}`);
  if (alerts.length)
    lines.push(fmt`• ${t("portfolio-retired-alerts", { names: alerts.join(", ") })}`);
  if (policies.length)
    lines.push(fmt`• ${t("portfolio-retired-policies", { names: policies.join(", ") })}`);
  lines.push(fmt``, fmt`${t("portfolio-retired-next")}`);
  return { title, body: FormattedString.join(lines, "\n") };
}

export class BotRetirementNotifier implements RetirementNotifier {
  constructor(private readonly notifier: Notifier) {}

  render(notice: RetirementNotice): RetirementMessage {
    const { title, body } = renderRetirement(this.notifier.translator(notice.recipient), notice);
    return { title, message: toHtml(body), format: "html" };
  }
}

async function flattenAction(
  ctx: ActorContext,
  action: string,
  portfolioId: number,
): Promise<void> {
  const { portfolios, closeout } = ctx.deps.services;
  const t: Translate = (k, p) => ctx.t(k, p);
  let lines: FormattedString[];
  try {
    if (action === "del") {
      const result = await portfolios.deletePortfolio(ctx.actor, portfolioId);
      await ctx.answerCallbackQuery();
      await editFmt(ctx, fmt`${retiredText(t, result)}`, keyboard([]));
      return;
    }
    await ctx.answerCallbackQuery({ text: ctx.t("order-sending") });
    lines =
      action === "co"
        ? cancelReport(t, await closeout.cancelOpenOrders(ctx.actor, portfolioId))
        : closeReport(t, await closeout.closePositions(ctx.actor, portfolioId));
  } catch (e) {
    if (isNotFlat(e)) {
      await ctx.answerCallbackQuery();
      await editFmt(ctx, fmt`${describeDomainError(t, e)}`, {
        inline_keyboard: await flattenButtons(ctx, portfolioId),
      });
      return;
    }
    if (!isDomainError(e)) throw e;
    await ctx.answerCallbackQuery();
    await editFmt(ctx, fmt`${describeDomainError(t, e)}`, keyboard([]));
    return;
  }
  const blockers = await portfolios.retirementBlockers(ctx.actor, portfolioId);
  const portfolio = await portfolios.getPortfolio(ctx.actor, portfolioId);
  lines.push(
    fmt``,
    fmt`${
      blockers.openOrders === 0 && blockers.openPositions === 0
        ? ctx.t("portfolio-flat-now", { name: portfolio.name })
        : ctx.t("portfolio-still-open", {
            name: portfolio.name,
            orders: blockers.openOrders,
            positions: blockers.openPositions,
          })
    }`,
  );
  await editFmt(ctx, FormattedString.join(lines, "\n"), {
    inline_keyboard: await flattenButtons(ctx, portfolioId),
  });
}

/** The "create a portfolio on this account" button shown after /newaccount, and the buttons
 * of a refused deletion (cancel open orders, close positions, delete once flat). */
export function portfolioButtonsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const flatten = [
    ["co", cancelPortfolioOrders],
    ["cp", closePortfolioPositions],
    ["del", deletePortfolioNow],
  ] as const;
  for (const [action, codec] of flatten)
    composer.callbackQuery(codec.filter, async (ctx) => {
      if (!inScope(ctx, "user")) return refuse(ctx, "user");
      const pressed = codec.unpack(ctx.callbackQuery.data);
      if (!pressed) return;
      await flattenAction(ctx, action, pressed.portfolioId);
    });
  composer.callbackQuery(/^pf:new:/, async (ctx) => {
    if (!inScope(ctx, "user")) return refuse(ctx, "user");
    // a malformed id still opens the conversation, which then asks for the account
    const accountId = newPortfolioOn.unpack(ctx.callbackQuery.data)?.accountId;
    await ctx.answerCallbackQuery();
    await ctx
      .editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } })
      .catch(() => undefined);
    await ctx.conversation.enter(NEW_PORTFOLIO, accountId ?? undefined);
  });
  return composer;
}
