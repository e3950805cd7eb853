-- Cash moves from accounts to portfolios: every ledger row gets the portfolio it belongs to.
--   a trade's settlement and fee -> the trade's portfolio;
--   deposits, withdrawals (and rows of trades since deleted) -> the account's default portfolio,
--   else its oldest one;
--   an account that holds ledger rows but has no portfolio gets one, named after the account
--   (the user's default when they have none), so no cash is lost.
-- The running balances (balanceAfter) then chain per (portfolio, currency). SQLite keeps these
-- decimals as TEXT and cannot add them exactly, so the chains are recomputed in code after this
-- migration (src/db/data-migrations.ts, "cash-per-portfolio-chains"), which is queued below.

-- AlterTable
ALTER TABLE "accounts" ADD COLUMN "openingBalance" TEXT;

-- CreateTable
CREATE TABLE "data_migrations" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "doneAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Accounts holding cash without a portfolio get one
INSERT INTO "portfolios" ("uid", "userId", "accountId", "name", "description", "defaultForUserId", "createdAt", "updatedAt")
SELECT lower(hex(randomblob(16))), a."userId", a."id",
    CASE WHEN EXISTS (SELECT 1 FROM "portfolios" p WHERE p."userId" = a."userId" AND lower(p."name") = lower(a."name"))
        THEN a."name" || ' #' || a."id" ELSE a."name" END,
    'holds the account''s cash (cash moved from accounts to portfolios)',
    CASE WHEN NOT EXISTS (SELECT 1 FROM "portfolios" p WHERE p."defaultForUserId" = a."userId")
        AND a."id" = (SELECT min(a2."id") FROM "accounts" a2
            WHERE a2."userId" = a."userId"
              AND NOT EXISTS (SELECT 1 FROM "portfolios" p2 WHERE p2."accountId" = a2."id")
              AND EXISTS (SELECT 1 FROM "cash_transactions" c2 WHERE c2."accountId" = a2."id"))
        THEN a."userId" END,
    a."createdAt", a."updatedAt"
FROM "accounts" a
WHERE NOT EXISTS (SELECT 1 FROM "portfolios" p WHERE p."accountId" = a."id")
  AND EXISTS (SELECT 1 FROM "cash_transactions" c WHERE c."accountId" = a."id");

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_cash_transactions" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "accountId" INTEGER NOT NULL,
    "portfolioId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "amount" TEXT NOT NULL,
    "balanceAfter" TEXT NOT NULL,
    "tradeId" INTEGER,
    "note" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "cash_transactions_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "accounts" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "cash_transactions_portfolioId_fkey" FOREIGN KEY ("portfolioId") REFERENCES "portfolios" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "cash_transactions_tradeId_fkey" FOREIGN KEY ("tradeId") REFERENCES "trades" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_cash_transactions" ("accountId", "portfolioId", "amount", "balanceAfter", "createdAt", "currency", "id", "note", "tradeId", "type", "uid")
SELECT c."accountId",
    COALESCE(
        (SELECT t."portfolioId" FROM "trades" t WHERE t."id" = c."tradeId"),
        (SELECT p."id" FROM "portfolios" p WHERE p."accountId" = c."accountId" AND p."defaultForUserId" IS NOT NULL),
        (SELECT min(p."id") FROM "portfolios" p WHERE p."accountId" = c."accountId")),
    c."amount", c."balanceAfter", c."createdAt", c."currency", c."id", c."note", c."tradeId", c."type", c."uid"
FROM "cash_transactions" c;
DROP TABLE "cash_transactions";
ALTER TABLE "new_cash_transactions" RENAME TO "cash_transactions";
CREATE UNIQUE INDEX "cash_transactions_uid_key" ON "cash_transactions"("uid");
CREATE INDEX "cash_transactions_accountId_id_idx" ON "cash_transactions"("accountId", "id");
CREATE INDEX "cash_transactions_portfolioId_currency_id_idx" ON "cash_transactions"("portfolioId", "currency", "id");
CREATE UNIQUE INDEX "cash_transactions_tradeId_type_key" ON "cash_transactions"("tradeId", "type");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- The per-(portfolio, currency) running balances are recomputed in code on the next start
INSERT INTO "data_migrations" ("name", "createdAt")
SELECT 'cash-per-portfolio-chains', CURRENT_TIMESTAMP
WHERE EXISTS (SELECT 1 FROM "cash_transactions");
