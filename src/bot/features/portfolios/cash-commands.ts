// /deposit, /withdraw and /transfer: moving a paper portfolio's cash in, out, or to another
// portfolio of the same account.
import { readNumber } from "../../../domain/bounds.ts";
import { parseCashArgs, parseTransferArgs } from "../../cash-args.ts";
import type { ActorContext } from "../../context.ts";
import { formatMoney } from "../../format/numbers.ts";

/**
 * /deposit 500 [USDT] [Swing] and /withdraw 200 [USDT] [Swing]: the named portfolio, else the
 * active one (paper accounts). The arguments may come in any order.
 */
export async function cashCommand(ctx: ActorContext, kind: "deposit" | "withdraw"): Promise<void> {
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
export async function transferCommand(ctx: ActorContext): Promise<void> {
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
