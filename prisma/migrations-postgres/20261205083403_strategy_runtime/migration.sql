-- CreateEnum
CREATE TYPE "StrategyInstanceStatus" AS ENUM ('RUNNING', 'PAUSED', 'STOPPED');

-- CreateEnum
CREATE TYPE "StrategyRunStatus" AS ENUM ('RUNNING', 'FINISHED');

-- CreateTable
CREATE TABLE "strategy_instances" (
    "id" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "portfolioId" INTEGER NOT NULL,
    "strategyId" INTEGER NOT NULL,
    "symbols" JSONB NOT NULL,
    "status" "StrategyInstanceStatus" NOT NULL,
    "consecutiveErrors" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "lastSignal" TEXT,
    "lastSignalAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3) NOT NULL,
    "pausedAt" TIMESTAMP(3),
    "stoppedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "strategy_instances_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "strategy_symbol_states" (
    "id" SERIAL NOT NULL,
    "instanceId" INTEGER NOT NULL,
    "symbol" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "lastCandleAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "strategy_symbol_states_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "strategy_runs" (
    "id" SERIAL NOT NULL,
    "instanceId" INTEGER NOT NULL,
    "strategyId" INTEGER NOT NULL,
    "status" "StrategyRunStatus" NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "capitalStart" DECIMAL(38,18) NOT NULL,
    "capitalEnd" DECIMAL(38,18),
    "orders" INTEGER NOT NULL DEFAULT 0,
    "successfulOrders" INTEGER NOT NULL DEFAULT 0,
    "pnl" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "maxDrawdown" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "pnlBase" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "peakEquity" DECIMAL(38,18) NOT NULL,

    CONSTRAINT "strategy_runs_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "strategy_instances" ADD CONSTRAINT "strategy_instances_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "strategy_instances" ADD CONSTRAINT "strategy_instances_portfolioId_fkey" FOREIGN KEY ("portfolioId") REFERENCES "portfolios"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "strategy_instances" ADD CONSTRAINT "strategy_instances_strategyId_fkey" FOREIGN KEY ("strategyId") REFERENCES "strategies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "strategy_symbol_states" ADD CONSTRAINT "strategy_symbol_states_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "strategy_instances"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "strategy_runs" ADD CONSTRAINT "strategy_runs_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "strategy_instances"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "strategy_runs" ADD CONSTRAINT "strategy_runs_strategyId_fkey" FOREIGN KEY ("strategyId") REFERENCES "strategies"("id") ON DELETE CASCADE ON UPDATE CASCADE;
