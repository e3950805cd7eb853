-- AlterTable
ALTER TABLE "portfolios" ADD COLUMN     "entriesPausedAt" TIMESTAMP(3);
