-- AlterTable
ALTER TABLE "portfolios" ADD COLUMN "entriesPausedAt" DATETIME;
