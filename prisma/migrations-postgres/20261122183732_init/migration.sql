-- CreateEnum
CREATE TYPE "UserStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "AssetType" AS ENUM ('CRYPTO', 'EQUITY', 'ETF', 'FUTURE', 'FOREX');

-- CreateEnum
CREATE TYPE "OrderSide" AS ENUM ('BUY', 'SELL');

-- CreateEnum
CREATE TYPE "OrderType" AS ENUM ('MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT', 'TRAILING');

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'REJECTED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "TimeInForce" AS ENUM ('GTC', 'IOC', 'FOK', 'DAY');

-- CreateEnum
CREATE TYPE "CashTxType" AS ENUM ('DEPOSIT', 'WITHDRAWAL', 'FEE', 'TRADE');

-- CreateEnum
CREATE TYPE "RiskScope" AS ENUM ('USER', 'PORTFOLIO', 'STRATEGY');

-- CreateEnum
CREATE TYPE "RiskAction" AS ENUM ('BLOCKED', 'WARNED', 'REDUCED_SIZE', 'CLOSED_POSITION');

-- CreateEnum
CREATE TYPE "AlertType" AS ENUM ('PRICE', 'INDICATOR', 'POSITION', 'RISK');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('INFO', 'WARNING', 'ERROR', 'CRITICAL');

-- CreateEnum
CREATE TYPE "ChatType" AS ENUM ('PRIVATE', 'GROUP', 'SUPERGROUP', 'CHANNEL');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('PENDING', 'SENDING', 'SENT', 'FAILED');

-- CreateTable
CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "telegramUserId" TEXT NOT NULL,
    "username" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "isAdmin" BOOLEAN NOT NULL DEFAULT false,
    "status" "UserStatus" NOT NULL DEFAULT 'PENDING',
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "approvedById" INTEGER,
    "approvedAt" TIMESTAMP(3),
    "decidedAt" TIMESTAMP(3),
    "onboardingNote" TEXT,
    "language" TEXT,
    "telegramLanguage" TEXT,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "activePortfolioId" INTEGER,
    "blockedBotAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "brokers" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "isPaper" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "brokers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "brokerId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "accountUid" TEXT,
    "baseCurrency" TEXT NOT NULL DEFAULT 'USD',
    "secretRef" TEXT,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cash_transactions" (
    "id" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "accountId" INTEGER NOT NULL,
    "type" "CashTxType" NOT NULL,
    "currency" TEXT NOT NULL,
    "amount" DECIMAL(38,18) NOT NULL,
    "balanceAfter" DECIMAL(38,18) NOT NULL,
    "tradeId" INTEGER,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cash_transactions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "portfolios" (
    "id" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "defaultForUserId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "portfolios_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "strategies" (
    "id" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "params" JSONB NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "strategies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "instruments" (
    "id" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "exchange" TEXT NOT NULL,
    "name" TEXT,
    "assetType" "AssetType" NOT NULL,
    "baseAsset" TEXT,
    "currency" TEXT NOT NULL,
    "tickSize" DECIMAL(38,18) NOT NULL,
    "lotSize" DECIMAL(38,18) NOT NULL,
    "minQty" DECIMAL(38,18) NOT NULL,
    "minNotional" DECIMAL(38,18) NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "instruments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders" (
    "id" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "portfolioId" INTEGER NOT NULL,
    "instrumentId" INTEGER NOT NULL,
    "strategyId" INTEGER,
    "side" "OrderSide" NOT NULL,
    "type" "OrderType" NOT NULL,
    "status" "OrderStatus" NOT NULL,
    "timeInForce" "TimeInForce" NOT NULL DEFAULT 'GTC',
    "quantity" DECIMAL(38,18) NOT NULL,
    "price" DECIMAL(38,18),
    "stopPrice" DECIMAL(38,18),
    "trailAmount" DECIMAL(38,18),
    "trailPercent" DECIMAL(38,18),
    "filledQuantity" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "avgFillPrice" DECIMAL(38,18),
    "clientOrderId" TEXT NOT NULL,
    "brokerOrderId" TEXT,
    "rejectReason" TEXT,
    "expiresAt" TIMESTAMP(3),
    "placedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "meta" JSONB NOT NULL,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trades" (
    "id" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "portfolioId" INTEGER NOT NULL,
    "instrumentId" INTEGER NOT NULL,
    "strategyId" INTEGER,
    "orderId" INTEGER,
    "side" "OrderSide" NOT NULL,
    "quantity" DECIMAL(38,18) NOT NULL,
    "price" DECIMAL(38,18) NOT NULL,
    "fee" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "feeCurrency" TEXT,
    "execTime" TIMESTAMP(3) NOT NULL,
    "brokerTradeId" TEXT NOT NULL,
    "meta" JSONB NOT NULL,

    CONSTRAINT "trades_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "positions" (
    "id" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "portfolioId" INTEGER NOT NULL,
    "instrumentId" INTEGER NOT NULL,
    "strategyId" INTEGER,
    "strategyKey" INTEGER NOT NULL DEFAULT 0,
    "quantity" DECIMAL(38,18) NOT NULL,
    "avgPrice" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "realizedPnl" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "fees" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "openedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "positions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_cursors" (
    "accountId" INTEGER NOT NULL,
    "cursor" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "sync_cursors_pkey" PRIMARY KEY ("accountId")
);

-- CreateTable
CREATE TABLE "paper_orders" (
    "id" SERIAL NOT NULL,
    "accountId" INTEGER NOT NULL,
    "brokerOrderId" TEXT NOT NULL,
    "clientOrderId" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "side" "OrderSide" NOT NULL,
    "type" "OrderType" NOT NULL,
    "timeInForce" "TimeInForce" NOT NULL,
    "status" "OrderStatus" NOT NULL,
    "quantity" DECIMAL(38,18) NOT NULL,
    "filledQuantity" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "price" DECIMAL(38,18),
    "stopPrice" DECIMAL(38,18),
    "trailAmount" DECIMAL(38,18),
    "trailPercent" DECIMAL(38,18),
    "bestPrice" DECIMAL(38,18),
    "triggered" BOOLEAN NOT NULL DEFAULT false,
    "expiresAt" TIMESTAMP(3),
    "rejectReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "paper_orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "paper_fills" (
    "id" SERIAL NOT NULL,
    "accountId" INTEGER NOT NULL,
    "paperOrderId" INTEGER NOT NULL,
    "brokerTradeId" TEXT NOT NULL,
    "quantity" DECIMAL(38,18) NOT NULL,
    "price" DECIMAL(38,18) NOT NULL,
    "fee" DECIMAL(38,18) NOT NULL,
    "feeCurrency" TEXT NOT NULL,
    "execTime" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "paper_fills_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "risk_policies" (
    "id" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "scopeType" "RiskScope" NOT NULL,
    "scopeId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "risk_policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "risk_breaches" (
    "id" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "policyId" INTEGER NOT NULL,
    "portfolioId" INTEGER,
    "instrumentId" INTEGER,
    "orderId" INTEGER,
    "rule" TEXT NOT NULL,
    "observed" JSONB NOT NULL,
    "action" "RiskAction" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "risk_breaches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "portfolioId" INTEGER,
    "name" TEXT NOT NULL,
    "type" "AlertType" NOT NULL,
    "config" JSONB NOT NULL,
    "state" JSONB NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "lastTriggeredAt" TIMESTAMP(3),
    "triggerCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedules" (
    "id" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "chatId" INTEGER,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "lastDueAt" TIMESTAMP(3),
    "nextRunAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "schedules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "screeners" (
    "id" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "screeners_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "telegram_chats" (
    "id" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "chatId" TEXT NOT NULL,
    "type" "ChatType" NOT NULL,
    "title" TEXT,
    "description" TEXT,
    "minSeverity" "Severity" NOT NULL DEFAULT 'INFO',
    "isMuted" BOOLEAN NOT NULL DEFAULT false,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "deactivatedReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "telegram_chats_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat_link_codes" (
    "id" SERIAL NOT NULL,
    "userId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_link_codes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_outbox" (
    "id" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "chatId" INTEGER NOT NULL,
    "userId" INTEGER,
    "type" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "title" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "format" TEXT NOT NULL DEFAULT 'html',
    "attachment" BYTEA,
    "dedupeKey" TEXT NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'PENDING',
    "failCount" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedBy" TEXT,
    "claimedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "partsSent" INTEGER NOT NULL DEFAULT 0,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "notification_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" SERIAL NOT NULL,
    "actorId" INTEGER,
    "entityType" TEXT NOT NULL,
    "entityId" INTEGER,
    "action" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "correlationId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_approvedById_fkey" FOREIGN KEY ("approvedById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_brokerId_fkey" FOREIGN KEY ("brokerId") REFERENCES "brokers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cash_transactions" ADD CONSTRAINT "cash_transactions_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cash_transactions" ADD CONSTRAINT "cash_transactions_tradeId_fkey" FOREIGN KEY ("tradeId") REFERENCES "trades"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "portfolios" ADD CONSTRAINT "portfolios_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "portfolios" ADD CONSTRAINT "portfolios_defaultForUserId_fkey" FOREIGN KEY ("defaultForUserId") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "portfolios" ADD CONSTRAINT "portfolios_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "strategies" ADD CONSTRAINT "strategies_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_portfolioId_fkey" FOREIGN KEY ("portfolioId") REFERENCES "portfolios"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_instrumentId_fkey" FOREIGN KEY ("instrumentId") REFERENCES "instruments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_strategyId_fkey" FOREIGN KEY ("strategyId") REFERENCES "strategies"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trades" ADD CONSTRAINT "trades_portfolioId_fkey" FOREIGN KEY ("portfolioId") REFERENCES "portfolios"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trades" ADD CONSTRAINT "trades_instrumentId_fkey" FOREIGN KEY ("instrumentId") REFERENCES "instruments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trades" ADD CONSTRAINT "trades_strategyId_fkey" FOREIGN KEY ("strategyId") REFERENCES "strategies"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trades" ADD CONSTRAINT "trades_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "orders"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "positions" ADD CONSTRAINT "positions_portfolioId_fkey" FOREIGN KEY ("portfolioId") REFERENCES "portfolios"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "positions" ADD CONSTRAINT "positions_instrumentId_fkey" FOREIGN KEY ("instrumentId") REFERENCES "instruments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "positions" ADD CONSTRAINT "positions_strategyId_fkey" FOREIGN KEY ("strategyId") REFERENCES "strategies"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_cursors" ADD CONSTRAINT "sync_cursors_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "paper_orders" ADD CONSTRAINT "paper_orders_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "paper_fills" ADD CONSTRAINT "paper_fills_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "paper_fills" ADD CONSTRAINT "paper_fills_paperOrderId_fkey" FOREIGN KEY ("paperOrderId") REFERENCES "paper_orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_policies" ADD CONSTRAINT "risk_policies_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_breaches" ADD CONSTRAINT "risk_breaches_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "risk_policies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_breaches" ADD CONSTRAINT "risk_breaches_portfolioId_fkey" FOREIGN KEY ("portfolioId") REFERENCES "portfolios"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_breaches" ADD CONSTRAINT "risk_breaches_instrumentId_fkey" FOREIGN KEY ("instrumentId") REFERENCES "instruments"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_breaches" ADD CONSTRAINT "risk_breaches_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "orders"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_portfolioId_fkey" FOREIGN KEY ("portfolioId") REFERENCES "portfolios"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_chatId_fkey" FOREIGN KEY ("chatId") REFERENCES "telegram_chats"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "screeners" ADD CONSTRAINT "screeners_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "telegram_chats" ADD CONSTRAINT "telegram_chats_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_link_codes" ADD CONSTRAINT "chat_link_codes_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_chatId_fkey" FOREIGN KEY ("chatId") REFERENCES "telegram_chats"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
