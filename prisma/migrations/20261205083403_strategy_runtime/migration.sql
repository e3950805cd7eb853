-- CreateTable
CREATE TABLE "strategy_instances" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "portfolioId" INTEGER NOT NULL,
    "strategyId" INTEGER NOT NULL,
    "symbols" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "consecutiveErrors" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "lastSignal" TEXT,
    "lastSignalAt" DATETIME,
    "startedAt" DATETIME NOT NULL,
    "pausedAt" DATETIME,
    "stoppedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "strategy_instances_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "strategy_instances_portfolioId_fkey" FOREIGN KEY ("portfolioId") REFERENCES "portfolios" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "strategy_instances_strategyId_fkey" FOREIGN KEY ("strategyId") REFERENCES "strategies" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "strategy_symbol_states" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "instanceId" INTEGER NOT NULL,
    "symbol" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "lastCandleAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "strategy_symbol_states_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "strategy_instances" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "strategy_runs" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "instanceId" INTEGER NOT NULL,
    "strategyId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "endedAt" DATETIME,
    "capitalStart" TEXT NOT NULL,
    "capitalEnd" TEXT,
    "orders" INTEGER NOT NULL DEFAULT 0,
    "successfulOrders" INTEGER NOT NULL DEFAULT 0,
    "pnl" TEXT NOT NULL DEFAULT '0',
    "maxDrawdown" TEXT NOT NULL DEFAULT '0',
    "pnlBase" TEXT NOT NULL DEFAULT '0',
    "peakEquity" TEXT NOT NULL,
    CONSTRAINT "strategy_runs_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "strategy_instances" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "strategy_runs_strategyId_fkey" FOREIGN KEY ("strategyId") REFERENCES "strategies" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "strategy_instances_uid_key" ON "strategy_instances"("uid");

-- CreateIndex
CREATE INDEX "strategy_instances_status_idx" ON "strategy_instances"("status");

-- CreateIndex
CREATE INDEX "strategy_instances_userId_status_idx" ON "strategy_instances"("userId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "strategy_symbol_states_instanceId_symbol_key" ON "strategy_symbol_states"("instanceId", "symbol");

-- CreateIndex
CREATE INDEX "strategy_runs_instanceId_status_idx" ON "strategy_runs"("instanceId", "status");
