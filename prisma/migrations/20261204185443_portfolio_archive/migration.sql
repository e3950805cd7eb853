-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_portfolios" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "defaultForUserId" INTEGER,
    "archivedAt" DATETIME,
    "archiveKey" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "portfolios_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "portfolios_defaultForUserId_fkey" FOREIGN KEY ("defaultForUserId") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "portfolios_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "accounts" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_portfolios" ("accountId", "createdAt", "defaultForUserId", "description", "id", "name", "uid", "updatedAt", "userId") SELECT "accountId", "createdAt", "defaultForUserId", "description", "id", "name", "uid", "updatedAt", "userId" FROM "portfolios";
DROP TABLE "portfolios";
ALTER TABLE "new_portfolios" RENAME TO "portfolios";
CREATE UNIQUE INDEX "portfolios_uid_key" ON "portfolios"("uid");
CREATE UNIQUE INDEX "portfolios_defaultForUserId_key" ON "portfolios"("defaultForUserId");
CREATE INDEX "portfolios_accountId_idx" ON "portfolios"("accountId");
CREATE UNIQUE INDEX "portfolios_userId_name_archiveKey_key" ON "portfolios"("userId", "name", "archiveKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
