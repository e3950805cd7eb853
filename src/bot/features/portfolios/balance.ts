// /balance: per account, each portfolio's cash, reserved, free and positions (paper accounts),
// the account's total, and for a live account what the exchange holds and its equity (or why its
// balances could not be read).
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { CashLine } from "../../../domain/cash/cash-service.ts";
import type { AccountFunds } from "../../../domain/funds/funds-source.ts";
import type { Decimal } from "../../../lib/decimal.ts";
import type { ActorContext } from "../../context.ts";
import { accountKind } from "../../format/account-kind.ts";
import { FUNDS_ERROR_KEYS } from "../../format/funds-errors.ts";
import { formatMoney, formatNumber } from "../../format/numbers.ts";
import { replyFmt } from "../../format/reply.ts";

export async function balanceCommand(ctx: ActorContext): Promise<void> {
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
