-- CreateIndex
CREATE INDEX "cash_transactions_portfolioId_type_createdAt_idx" ON "cash_transactions"("portfolioId", "type", "createdAt");
