-- CreateTable
CREATE TABLE "chat_link_failures" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "telegramUserId" TEXT,
    "chatId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "chat_link_failures_telegramUserId_createdAt_idx" ON "chat_link_failures"("telegramUserId", "createdAt");

-- CreateIndex
CREATE INDEX "chat_link_failures_chatId_createdAt_idx" ON "chat_link_failures"("chatId", "createdAt");
