// One-time repair of the cash ledger when cash moved from accounts to portfolios (migration
// 20261204185538_cash_per_portfolio). That migration gives every row its portfolio; the running
// balances (balanceAfter) were chained per account and must now chain per (portfolio, currency).
// SQL cannot add SQLite's TEXT decimals exactly, so this runs in code, exactly as appendCash
// would have chained the rows (each balance rounded as stored), in one transaction.
//
// Splitting a shared balance can leave a portfolio below zero (the account's deposits went to
// its default portfolio while another one bought with them). No balance may be negative, so each
// such deficit is covered by a TRANSFER from the account's other portfolios in the same currency
// (the default portfolio first, then the richest), audited as done by the system. The account's
// total never changes.
import type { Provider, Tx } from "../../db/client.ts";
import { type Decimal, ZERO, fromDb, minDec, toDb } from "../../lib/decimal.ts";
import { audit } from "../audit/audit-logger.ts";
import { appendCash } from "./cash-ledger.ts";

export interface ChainRepair {
  rowsChecked: number;
  rowsUpdated: number;
  /** deficit-covering transfers written (pairs of rows) */
  transfers: number;
}

const PAGE = 2000;

export async function repairCashChains(
  tx: Tx,
  provider: Provider,
  now: Date = new Date(),
): Promise<ChainRepair> {
  const running = new Map<string, { portfolioId: number; currency: string; balance: Decimal }>();
  const accountOf = new Map<number, number>();
  let rowsChecked = 0;
  let rowsUpdated = 0;
  for (let after = 0; ;) {
    const rows = await tx.cashTransaction.findMany({
      where: { id: { gt: after } },
      orderBy: { id: "asc" },
      take: PAGE,
      select: {
        id: true,
        accountId: true,
        portfolioId: true,
        currency: true,
        amount: true,
        balanceAfter: true,
      },
    });
    if (!rows.length) break;
    for (const row of rows) {
      const key = `${row.portfolioId}\u0000${row.currency}`;
      const chain = running.get(key) ?? {
        portfolioId: row.portfolioId,
        currency: row.currency,
        balance: ZERO,
      };
      // what a stored balance reads back as, so the chain matches row-by-row appends exactly
      const balance = fromDb(toDb(chain.balance.plus(fromDb(row.amount))));
      chain.balance = balance;
      running.set(key, chain);
      accountOf.set(row.portfolioId, row.accountId);
      rowsChecked++;
      if (!fromDb(row.balanceAfter).eq(balance)) {
        await tx.$executeRaw`
          UPDATE cash_transactions SET "balanceAfter" = ${toDb(balance)} WHERE id = ${row.id}`;
        rowsUpdated++;
      }
    }
    after = rows[rows.length - 1]!.id;
  }

  // cover negative balances from the same account's other portfolios
  const byAccount = new Map<string, Array<{ portfolioId: number; balance: Decimal }>>();
  for (const chain of running.values()) {
    const key = `${accountOf.get(chain.portfolioId)}\u0000${chain.currency}`;
    const list = byAccount.get(key) ?? [];
    list.push({ portfolioId: chain.portfolioId, balance: chain.balance });
    byAccount.set(key, list);
  }
  let transfers = 0;
  for (const [key, list] of byAccount) {
    if (!list.some((p) => p.balance.isNeg())) continue;
    const [accountText, currency] = key.split("\u0000") as [string, string];
    const accountId = Number(accountText);
    const defaults = new Set(
      (
        await tx.portfolio.findMany({
          where: { accountId, defaultForUserId: { not: null } },
          select: { id: true },
        })
      ).map((p) => p.id),
    );
    const donors = list
      .filter((p) => p.balance.gt(0))
      .sort(
        (a, b) =>
          Number(defaults.has(b.portfolioId)) - Number(defaults.has(a.portfolioId)) ||
          b.balance.comparedTo(a.balance) ||
          a.portfolioId - b.portfolioId,
      );
    for (const needy of list
      .filter((p) => p.balance.isNeg())
      .sort((a, b) => a.portfolioId - b.portfolioId)) {
      for (const donor of donors) {
        if (!needy.balance.isNeg()) break;
        const amount = minDec(donor.balance, needy.balance.neg());
        if (!amount.gt(0)) continue;
        const note = "cash moved to portfolios: covers a balance left below zero";
        const out = await appendCash(tx, provider, {
          accountId,
          portfolioId: donor.portfolioId,
          type: "TRANSFER",
          currency,
          amount: amount.neg(),
          note,
          at: now,
        });
        await appendCash(tx, provider, {
          accountId,
          portfolioId: needy.portfolioId,
          type: "TRANSFER",
          currency,
          amount,
          note,
          at: now,
        });
        await audit(tx, {
          actorId: null,
          entityType: "CASH",
          entityId: out.id,
          action: "CREATE",
          details: {
            type: "TRANSFER",
            reason: "cash-per-portfolio-migration",
            accountId,
            fromPortfolioId: donor.portfolioId,
            toPortfolioId: needy.portfolioId,
            currency,
            amount: amount.toFixed(),
          },
        });
        donor.balance = donor.balance.minus(amount);
        needy.balance = needy.balance.plus(amount);
        transfers++;
      }
    }
  }
  return { rowsChecked, rowsUpdated, transfers };
}
