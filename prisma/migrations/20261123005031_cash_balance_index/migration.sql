-- CreateIndex
CREATE INDEX "cash_transactions_accountId_currency_id_idx" ON "cash_transactions"("accountId", "currency", "id");
