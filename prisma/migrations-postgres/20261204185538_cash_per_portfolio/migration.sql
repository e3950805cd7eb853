-- Cash moves from accounts to portfolios (see the SQLite migration of the same name for the rules):
-- every ledger row gets its portfolio, accounts holding cash without a portfolio get one, and the
-- per-(portfolio, currency) running balances are recomputed in code after this migration
-- (src/db/data-migrations.ts, "cash-per-portfolio-chains"), as on SQLite.

-- AlterEnum
ALTER TYPE "CashTxType" ADD VALUE 'TRANSFER';

-- DropIndex
DROP INDEX "cash_transactions_accountId_currency_id_idx";

-- AlterTable
ALTER TABLE "accounts" ADD COLUMN     "openingBalance" DECIMAL(38,18);

-- AlterTable
ALTER TABLE "cash_transactions" ADD COLUMN     "portfolioId" INTEGER;

-- CreateTable
CREATE TABLE "data_migrations" (
    "name" TEXT NOT NULL,
    "doneAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "data_migrations_pkey" PRIMARY KEY ("name")
);

-- Accounts holding cash without a portfolio get one
INSERT INTO "portfolios" ("uid", "userId", "accountId", "name", "description", "defaultForUserId", "createdAt", "updatedAt")
SELECT gen_random_uuid()::text, a."userId", a."id",
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

-- Every ledger row gets its portfolio
UPDATE "cash_transactions" c SET "portfolioId" = COALESCE(
    (SELECT t."portfolioId" FROM "trades" t WHERE t."id" = c."tradeId"),
    (SELECT p."id" FROM "portfolios" p WHERE p."accountId" = c."accountId" AND p."defaultForUserId" IS NOT NULL),
    (SELECT min(p."id") FROM "portfolios" p WHERE p."accountId" = c."accountId"));

ALTER TABLE "cash_transactions" ALTER COLUMN "portfolioId" SET NOT NULL;

-- The per-(portfolio, currency) running balances are recomputed in code on the next start
INSERT INTO "data_migrations" ("name", "createdAt")
SELECT 'cash-per-portfolio-chains', CURRENT_TIMESTAMP
WHERE EXISTS (SELECT 1 FROM "cash_transactions");

-- CreateIndex
CREATE INDEX "cash_transactions_portfolioId_currency_id_idx" ON "cash_transactions"("portfolioId", "currency", "id");

-- AddForeignKey
ALTER TABLE "cash_transactions" ADD CONSTRAINT "cash_transactions_portfolioId_fkey" FOREIGN KEY ("portfolioId") REFERENCES "portfolios"("id") ON DELETE CASCADE ON UPDATE CASCADE;
