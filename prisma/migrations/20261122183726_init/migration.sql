-- CreateTable
CREATE TABLE "users" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "telegramUserId" TEXT NOT NULL,
    "username" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "isAdmin" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "approvedById" INTEGER,
    "approvedAt" DATETIME,
    "decidedAt" DATETIME,
    "onboardingNote" TEXT,
    "language" TEXT,
    "telegramLanguage" TEXT,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "activePortfolioId" INTEGER,
    "blockedBotAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "users_approvedById_fkey" FOREIGN KEY ("approvedById") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "brokers" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "isPaper" BOOLEAN NOT NULL DEFAULT false
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "brokerId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "accountUid" TEXT,
    "baseCurrency" TEXT NOT NULL DEFAULT 'USD',
    "secretRef" TEXT,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "accounts_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "accounts_brokerId_fkey" FOREIGN KEY ("brokerId") REFERENCES "brokers" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "cash_transactions" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "accountId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "amount" TEXT NOT NULL,
    "balanceAfter" TEXT NOT NULL,
    "tradeId" INTEGER,
    "note" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "cash_transactions_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "accounts" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "cash_transactions_tradeId_fkey" FOREIGN KEY ("tradeId") REFERENCES "trades" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "portfolios" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "defaultForUserId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "portfolios_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "portfolios_defaultForUserId_fkey" FOREIGN KEY ("defaultForUserId") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "portfolios_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "accounts" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "strategies" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "params" JSONB NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "strategies_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "instruments" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "exchange" TEXT NOT NULL,
    "name" TEXT,
    "assetType" TEXT NOT NULL,
    "baseAsset" TEXT,
    "currency" TEXT NOT NULL,
    "tickSize" TEXT NOT NULL,
    "lotSize" TEXT NOT NULL,
    "minQty" TEXT NOT NULL,
    "minNotional" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "orders" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "portfolioId" INTEGER NOT NULL,
    "instrumentId" INTEGER NOT NULL,
    "strategyId" INTEGER,
    "side" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "timeInForce" TEXT NOT NULL DEFAULT 'GTC',
    "quantity" TEXT NOT NULL,
    "price" TEXT,
    "stopPrice" TEXT,
    "trailAmount" TEXT,
    "trailPercent" TEXT,
    "filledQuantity" TEXT NOT NULL DEFAULT '0',
    "avgFillPrice" TEXT,
    "clientOrderId" TEXT NOT NULL,
    "brokerOrderId" TEXT,
    "rejectReason" TEXT,
    "expiresAt" DATETIME,
    "placedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "meta" JSONB NOT NULL,
    CONSTRAINT "orders_portfolioId_fkey" FOREIGN KEY ("portfolioId") REFERENCES "portfolios" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "orders_instrumentId_fkey" FOREIGN KEY ("instrumentId") REFERENCES "instruments" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "orders_strategyId_fkey" FOREIGN KEY ("strategyId") REFERENCES "strategies" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "trades" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "portfolioId" INTEGER NOT NULL,
    "instrumentId" INTEGER NOT NULL,
    "strategyId" INTEGER,
    "orderId" INTEGER,
    "side" TEXT NOT NULL,
    "quantity" TEXT NOT NULL,
    "price" TEXT NOT NULL,
    "fee" TEXT NOT NULL DEFAULT '0',
    "feeCurrency" TEXT,
    "execTime" DATETIME NOT NULL,
    "brokerTradeId" TEXT NOT NULL,
    "meta" JSONB NOT NULL,
    CONSTRAINT "trades_portfolioId_fkey" FOREIGN KEY ("portfolioId") REFERENCES "portfolios" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "trades_instrumentId_fkey" FOREIGN KEY ("instrumentId") REFERENCES "instruments" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "trades_strategyId_fkey" FOREIGN KEY ("strategyId") REFERENCES "strategies" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "trades_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "orders" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "positions" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "portfolioId" INTEGER NOT NULL,
    "instrumentId" INTEGER NOT NULL,
    "strategyId" INTEGER,
    "strategyKey" INTEGER NOT NULL DEFAULT 0,
    "quantity" TEXT NOT NULL,
    "avgPrice" TEXT NOT NULL DEFAULT '0',
    "realizedPnl" TEXT NOT NULL DEFAULT '0',
    "fees" TEXT NOT NULL DEFAULT '0',
    "openedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "positions_portfolioId_fkey" FOREIGN KEY ("portfolioId") REFERENCES "portfolios" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "positions_instrumentId_fkey" FOREIGN KEY ("instrumentId") REFERENCES "instruments" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "positions_strategyId_fkey" FOREIGN KEY ("strategyId") REFERENCES "strategies" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "sync_cursors" (
    "accountId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cursor" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "sync_cursors_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "accounts" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "paper_orders" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "accountId" INTEGER NOT NULL,
    "brokerOrderId" TEXT NOT NULL,
    "clientOrderId" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "side" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "timeInForce" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "quantity" TEXT NOT NULL,
    "filledQuantity" TEXT NOT NULL DEFAULT '0',
    "price" TEXT,
    "stopPrice" TEXT,
    "trailAmount" TEXT,
    "trailPercent" TEXT,
    "bestPrice" TEXT,
    "triggered" BOOLEAN NOT NULL DEFAULT false,
    "expiresAt" DATETIME,
    "rejectReason" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "paper_orders_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "accounts" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "paper_fills" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "accountId" INTEGER NOT NULL,
    "paperOrderId" INTEGER NOT NULL,
    "brokerTradeId" TEXT NOT NULL,
    "quantity" TEXT NOT NULL,
    "price" TEXT NOT NULL,
    "fee" TEXT NOT NULL,
    "feeCurrency" TEXT NOT NULL,
    "execTime" DATETIME NOT NULL,
    CONSTRAINT "paper_fills_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "accounts" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "paper_fills_paperOrderId_fkey" FOREIGN KEY ("paperOrderId") REFERENCES "paper_orders" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "risk_policies" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "scopeType" TEXT NOT NULL,
    "scopeId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "risk_policies_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "risk_breaches" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "policyId" INTEGER NOT NULL,
    "portfolioId" INTEGER,
    "instrumentId" INTEGER,
    "orderId" INTEGER,
    "rule" TEXT NOT NULL,
    "observed" JSONB NOT NULL,
    "action" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "risk_breaches_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "risk_policies" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "risk_breaches_portfolioId_fkey" FOREIGN KEY ("portfolioId") REFERENCES "portfolios" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "risk_breaches_instrumentId_fkey" FOREIGN KEY ("instrumentId") REFERENCES "instruments" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "risk_breaches_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "orders" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "portfolioId" INTEGER,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "state" JSONB NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "lastTriggeredAt" DATETIME,
    "triggerCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "alerts_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "alerts_portfolioId_fkey" FOREIGN KEY ("portfolioId") REFERENCES "portfolios" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "schedules" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "chatId" INTEGER,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "lastDueAt" DATETIME,
    "nextRunAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "schedules_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "schedules_chatId_fkey" FOREIGN KEY ("chatId") REFERENCES "telegram_chats" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "screeners" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "screeners_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "telegram_chats" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "chatId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "title" TEXT,
    "description" TEXT,
    "minSeverity" TEXT NOT NULL DEFAULT 'INFO',
    "isMuted" BOOLEAN NOT NULL DEFAULT false,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "deactivatedReason" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "telegram_chats_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "chat_link_codes" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "chat_link_codes_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "notification_outbox" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "chatId" INTEGER NOT NULL,
    "userId" INTEGER,
    "type" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "format" TEXT NOT NULL DEFAULT 'html',
    "attachment" BLOB,
    "dedupeKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "failCount" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedBy" TEXT,
    "claimedUntil" DATETIME,
    "lastError" TEXT,
    "partsSent" INTEGER NOT NULL DEFAULT 0,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "notification_outbox_chatId_fkey" FOREIGN KEY ("chatId") REFERENCES "telegram_chats" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "notification_outbox_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "actorId" INTEGER,
    "entityType" TEXT NOT NULL,
    "entityId" INTEGER,
    "action" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "correlationId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "audit_log_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "sessions" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "users_uid_key" ON "users"("uid");

-- CreateIndex
CREATE UNIQUE INDEX "users_telegramUserId_key" ON "users"("telegramUserId");

-- CreateIndex
CREATE INDEX "users_status_isActive_idx" ON "users"("status", "isActive");

-- CreateIndex
CREATE UNIQUE INDEX "brokers_code_key" ON "brokers"("code");

-- CreateIndex
CREATE UNIQUE INDEX "accounts_uid_key" ON "accounts"("uid");

-- CreateIndex
CREATE INDEX "accounts_brokerId_idx" ON "accounts"("brokerId");

-- CreateIndex
CREATE UNIQUE INDEX "accounts_userId_name_key" ON "accounts"("userId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "cash_transactions_uid_key" ON "cash_transactions"("uid");

-- CreateIndex
CREATE INDEX "cash_transactions_accountId_id_idx" ON "cash_transactions"("accountId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "cash_transactions_tradeId_type_key" ON "cash_transactions"("tradeId", "type");

-- CreateIndex
CREATE UNIQUE INDEX "portfolios_uid_key" ON "portfolios"("uid");

-- CreateIndex
CREATE UNIQUE INDEX "portfolios_defaultForUserId_key" ON "portfolios"("defaultForUserId");

-- CreateIndex
CREATE INDEX "portfolios_accountId_idx" ON "portfolios"("accountId");

-- CreateIndex
CREATE UNIQUE INDEX "portfolios_userId_name_key" ON "portfolios"("userId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "strategies_uid_key" ON "strategies"("uid");

-- CreateIndex
CREATE UNIQUE INDEX "strategies_userId_name_version_key" ON "strategies"("userId", "name", "version");

-- CreateIndex
CREATE UNIQUE INDEX "instruments_uid_key" ON "instruments"("uid");

-- CreateIndex
CREATE INDEX "instruments_assetType_idx" ON "instruments"("assetType");

-- CreateIndex
CREATE UNIQUE INDEX "instruments_symbol_exchange_key" ON "instruments"("symbol", "exchange");

-- CreateIndex
CREATE UNIQUE INDEX "orders_uid_key" ON "orders"("uid");

-- CreateIndex
CREATE UNIQUE INDEX "orders_clientOrderId_key" ON "orders"("clientOrderId");

-- CreateIndex
CREATE INDEX "orders_portfolioId_status_idx" ON "orders"("portfolioId", "status");

-- CreateIndex
CREATE INDEX "orders_instrumentId_idx" ON "orders"("instrumentId");

-- CreateIndex
CREATE INDEX "orders_placedAt_idx" ON "orders"("placedAt");

-- CreateIndex
CREATE UNIQUE INDEX "orders_portfolioId_brokerOrderId_key" ON "orders"("portfolioId", "brokerOrderId");

-- CreateIndex
CREATE UNIQUE INDEX "trades_uid_key" ON "trades"("uid");

-- CreateIndex
CREATE INDEX "trades_portfolioId_execTime_idx" ON "trades"("portfolioId", "execTime");

-- CreateIndex
CREATE INDEX "trades_instrumentId_execTime_idx" ON "trades"("instrumentId", "execTime");

-- CreateIndex
CREATE INDEX "trades_orderId_idx" ON "trades"("orderId");

-- CreateIndex
CREATE UNIQUE INDEX "trades_portfolioId_brokerTradeId_key" ON "trades"("portfolioId", "brokerTradeId");

-- CreateIndex
CREATE UNIQUE INDEX "positions_uid_key" ON "positions"("uid");

-- CreateIndex
CREATE INDEX "positions_instrumentId_idx" ON "positions"("instrumentId");

-- CreateIndex
CREATE UNIQUE INDEX "positions_portfolioId_instrumentId_strategyKey_key" ON "positions"("portfolioId", "instrumentId", "strategyKey");

-- CreateIndex
CREATE UNIQUE INDEX "paper_orders_brokerOrderId_key" ON "paper_orders"("brokerOrderId");

-- CreateIndex
CREATE INDEX "paper_orders_accountId_status_idx" ON "paper_orders"("accountId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "paper_orders_accountId_clientOrderId_key" ON "paper_orders"("accountId", "clientOrderId");

-- CreateIndex
CREATE UNIQUE INDEX "paper_fills_brokerTradeId_key" ON "paper_fills"("brokerTradeId");

-- CreateIndex
CREATE INDEX "paper_fills_accountId_id_idx" ON "paper_fills"("accountId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "risk_policies_uid_key" ON "risk_policies"("uid");

-- CreateIndex
CREATE INDEX "risk_policies_scopeType_scopeId_idx" ON "risk_policies"("scopeType", "scopeId");

-- CreateIndex
CREATE INDEX "risk_policies_isActive_idx" ON "risk_policies"("isActive");

-- CreateIndex
CREATE INDEX "risk_policies_userId_idx" ON "risk_policies"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "risk_breaches_uid_key" ON "risk_breaches"("uid");

-- CreateIndex
CREATE INDEX "risk_breaches_policyId_createdAt_idx" ON "risk_breaches"("policyId", "createdAt");

-- CreateIndex
CREATE INDEX "risk_breaches_portfolioId_createdAt_idx" ON "risk_breaches"("portfolioId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "alerts_uid_key" ON "alerts"("uid");

-- CreateIndex
CREATE INDEX "alerts_userId_isActive_idx" ON "alerts"("userId", "isActive");

-- CreateIndex
CREATE INDEX "alerts_isActive_idx" ON "alerts"("isActive");

-- CreateIndex
CREATE UNIQUE INDEX "schedules_uid_key" ON "schedules"("uid");

-- CreateIndex
CREATE INDEX "schedules_isActive_nextRunAt_idx" ON "schedules"("isActive", "nextRunAt");

-- CreateIndex
CREATE UNIQUE INDEX "schedules_userId_name_key" ON "schedules"("userId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "screeners_uid_key" ON "screeners"("uid");

-- CreateIndex
CREATE UNIQUE INDEX "screeners_userId_name_key" ON "screeners"("userId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "telegram_chats_uid_key" ON "telegram_chats"("uid");

-- CreateIndex
CREATE INDEX "telegram_chats_chatId_idx" ON "telegram_chats"("chatId");

-- CreateIndex
CREATE UNIQUE INDEX "telegram_chats_userId_chatId_key" ON "telegram_chats"("userId", "chatId");

-- CreateIndex
CREATE UNIQUE INDEX "chat_link_codes_code_key" ON "chat_link_codes"("code");

-- CreateIndex
CREATE UNIQUE INDEX "notification_outbox_uid_key" ON "notification_outbox"("uid");

-- CreateIndex
CREATE INDEX "notification_outbox_status_nextAttemptAt_idx" ON "notification_outbox"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "notification_outbox_chatId_status_id_idx" ON "notification_outbox"("chatId", "status", "id");

-- CreateIndex
CREATE UNIQUE INDEX "notification_outbox_chatId_dedupeKey_key" ON "notification_outbox"("chatId", "dedupeKey");

-- CreateIndex
CREATE INDEX "audit_log_entityType_entityId_idx" ON "audit_log"("entityType", "entityId");

-- CreateIndex
CREATE INDEX "audit_log_actorId_createdAt_idx" ON "audit_log"("actorId", "createdAt");

-- CreateIndex
CREATE INDEX "audit_log_createdAt_idx" ON "audit_log"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_key_key" ON "sessions"("key");
