-- AlterTable
ALTER TABLE "accounts" ADD COLUMN     "testnet" BOOLEAN NOT NULL DEFAULT false;
