-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_accounts" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "brokerId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "accountUid" TEXT,
    "baseCurrency" TEXT NOT NULL DEFAULT 'USD',
    "secretRef" TEXT,
    "openingBalance" TEXT,
    "testnet" BOOLEAN NOT NULL DEFAULT false,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "accounts_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "accounts_brokerId_fkey" FOREIGN KEY ("brokerId") REFERENCES "brokers" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_accounts" ("accountUid", "baseCurrency", "brokerId", "createdAt", "id", "isActive", "name", "openingBalance", "secretRef", "uid", "updatedAt", "userId") SELECT "accountUid", "baseCurrency", "brokerId", "createdAt", "id", "isActive", "name", "openingBalance", "secretRef", "uid", "updatedAt", "userId" FROM "accounts";
DROP TABLE "accounts";
ALTER TABLE "new_accounts" RENAME TO "accounts";
CREATE UNIQUE INDEX "accounts_uid_key" ON "accounts"("uid");
CREATE INDEX "accounts_brokerId_idx" ON "accounts"("brokerId");
CREATE UNIQUE INDEX "accounts_userId_name_key" ON "accounts"("userId", "name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
