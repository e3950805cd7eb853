-- CreateTable
CREATE TABLE "portfolio_checkpoints" (
    "id" SERIAL NOT NULL,
    "portfolioId" INTEGER NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,
    "currency" TEXT NOT NULL,
    "cash" DECIMAL(38,18) NOT NULL,
    "positionsValue" DECIMAL(38,18) NOT NULL,
    "equity" DECIMAL(38,18) NOT NULL,
    "netFlows" DECIMAL(38,18) NOT NULL,
    "realizedPnl" DECIMAL(38,18) NOT NULL,
    "tradeIdBound" INTEGER NOT NULL,
    "state" JSONB NOT NULL,
    "firstEventAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "portfolio_checkpoints_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "portfolio_checkpoints_portfolioId_day_currency_key" ON "portfolio_checkpoints"("portfolioId", "day", "currency");

-- CreateIndex
CREATE INDEX "cash_transactions_portfolioId_createdAt_idx" ON "cash_transactions"("portfolioId", "createdAt");

-- CreateIndex
CREATE INDEX "trades_portfolioId_id_idx" ON "trades"("portfolioId", "id");

-- AddForeignKey
ALTER TABLE "portfolio_checkpoints" ADD CONSTRAINT "portfolio_checkpoints_portfolioId_fkey" FOREIGN KEY ("portfolioId") REFERENCES "portfolios"("id") ON DELETE CASCADE ON UPDATE CASCADE;
