/*
  Warnings:

  - A unique constraint covering the columns `[userId,name,archiveKey]` on the table `portfolios` will be added. If there are existing duplicate values, this will fail.

*/
-- DropIndex
DROP INDEX "portfolios_userId_name_key";

-- AlterTable
ALTER TABLE "portfolios" ADD COLUMN     "archiveKey" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "archivedAt" TIMESTAMP(3);

-- CreateIndex
CREATE UNIQUE INDEX "portfolios_userId_name_archiveKey_key" ON "portfolios"("userId", "name", "archiveKey");
