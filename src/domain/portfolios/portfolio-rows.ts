// Accounts and portfolios as the services hand them out (views free of database types), the
// Prisma includes that fetch exactly what a view needs, how a row becomes one, and the one place
// that moves a user's default portfolio.
import type { Tx } from "../../db/client.ts";
import type { Decimal } from "../../lib/decimal.ts";
import type { PausedReferences, RetirementOutcome } from "./retirement-notice.ts";

export interface AccountView {
  id: number;
  uid: string;
  name: string;
  brokerCode: string;
  brokerName: string;
  isPaper: boolean;
  baseCurrency: string;
  /** a live account on the exchange's testnet (no real money) */
  testnet: boolean;
  accountUid: string | null;
  /** an API key is stored for it (encrypted in account_credentials, or an external reference) */
  hasSecret: boolean;
  createdAt: Date;
}

export interface PortfolioView {
  id: number;
  uid: string;
  name: string;
  description: string | null;
  accountId: number;
  accountName: string;
  brokerCode: string;
  isPaper: boolean;
  /** the account trades on the exchange's testnet (no real money) */
  testnet: boolean;
  baseCurrency: string;
  isDefault: boolean;
  isActive: boolean;
  /** set once archived: history stays readable, nothing new can be done with it */
  archivedAt: Date | null;
  /** set while new entries are paused (/pause): exits, cancels and closes still work */
  entriesPausedAt: Date | null;
  createdAt: Date;
}

/** What stands between a portfolio and its deletion. */
export interface RetirementBlockers {
  openOrders: number;
  /** positions with a non-zero quantity */
  openPositions: number;
}

export interface RetirementResult {
  /** ARCHIVED: it had history, kept hidden; DELETED: it never traded, gone */
  outcome: Exclude<RetirementOutcome, "MISSING">;
  name: string;
  paused: PausedReferences;
}

export interface CreateAccountInput {
  brokerCode: string;
  name: string;
  baseCurrency?: string;
  accountUid?: string | null;
  /** reference to the API key in the secret store, never the key itself */
  secretRef?: string | null;
  /**
   * paper accounts: the starting cash. Cash belongs to portfolios, so it waits on the account
   * until the account's first portfolio is created, which receives it as its opening deposit.
   */
  openingBalance?: Decimal | null;
  /** live accounts: trade on the exchange's testnet (refused for paper brokers) */
  testnet?: boolean;
}

export interface CreatePortfolioInput {
  accountId: number;
  name: string;
  description?: string | null;
  makeDefault?: boolean;
}

/** the credential's key id only: whether a key is stored, never the sealed record */
export const accountInclude = { broker: true, credential: { select: { keyId: true } } } as const;
export const portfolioInclude = { account: { include: { broker: true } } } as const;
/** live (not archived) portfolios */
export const LIVE = { archivedAt: null } as const;

type AccountRow = {
  id: number;
  uid: string;
  name: string;
  baseCurrency: string;
  accountUid: string | null;
  secretRef: string | null;
  testnet: boolean;
  createdAt: Date;
  broker: { code: string; name: string; isPaper: boolean };
  credential: { keyId: string } | null;
};

export function toAccountView(row: AccountRow): AccountView {
  return {
    id: row.id,
    uid: row.uid,
    name: row.name,
    brokerCode: row.broker.code,
    brokerName: row.broker.name,
    isPaper: row.broker.isPaper,
    baseCurrency: row.baseCurrency,
    testnet: row.testnet,
    accountUid: row.accountUid,
    hasSecret: row.secretRef !== null || row.credential !== null,
    createdAt: row.createdAt,
  };
}

type PortfolioRow = {
  id: number;
  uid: string;
  name: string;
  description: string | null;
  accountId: number;
  defaultForUserId: number | null;
  archivedAt: Date | null;
  entriesPausedAt: Date | null;
  createdAt: Date;
  account: {
    name: string;
    baseCurrency: string;
    testnet: boolean;
    broker: { code: string; isPaper: boolean };
  };
};

export function toPortfolioView(row: PortfolioRow, activeId: number | null): PortfolioView {
  return {
    id: row.id,
    uid: row.uid,
    name: row.name,
    description: row.description,
    accountId: row.accountId,
    accountName: row.account.name,
    brokerCode: row.account.broker.code,
    isPaper: row.account.broker.isPaper,
    testnet: row.account.testnet,
    baseCurrency: row.account.baseCurrency,
    isDefault: row.defaultForUserId !== null,
    isActive: activeId === row.id,
    archivedAt: row.archivedAt,
    entriesPausedAt: row.entriesPausedAt,
    createdAt: row.createdAt,
  };
}

/** Makes the portfolio the user's default (there is at most one). */
export async function moveDefault(tx: Tx, userId: number, portfolioId: number): Promise<void> {
  await tx.portfolio.updateMany({
    where: { defaultForUserId: userId },
    data: { defaultForUserId: null },
  });
  await tx.portfolio.update({ where: { id: portfolioId }, data: { defaultForUserId: userId } });
}
