-- CreateTable
CREATE TABLE "portfolio_checkpoints" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "portfolioId" INTEGER NOT NULL,
    "day" DATETIME NOT NULL,
    "currency" TEXT NOT NULL,
    "cash" TEXT NOT NULL,
    "positionsValue" TEXT NOT NULL,
    "equity" TEXT NOT NULL,
    "netFlows" TEXT NOT NULL,
    "realizedPnl" TEXT NOT NULL,
    "tradeIdBound" INTEGER NOT NULL,
    "state" JSONB NOT NULL,
    "firstEventAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "portfolio_checkpoints_portfolioId_fkey" FOREIGN KEY ("portfolioId") REFERENCES "portfolios" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "portfolio_checkpoints_portfolioId_day_currency_key" ON "portfolio_checkpoints"("portfolioId", "day", "currency");

-- CreateIndex
CREATE INDEX "cash_transactions_portfolioId_createdAt_idx" ON "cash_transactions"("portfolioId", "createdAt");

-- CreateIndex
CREATE INDEX "trades_portfolioId_id_idx" ON "trades"("portfolioId", "id");
