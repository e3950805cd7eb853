-- CreateTable
CREATE TABLE "chat_link_failures" (
    "id" SERIAL NOT NULL,
    "telegramUserId" TEXT,
    "chatId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "chat_link_failures_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "chat_link_failures_telegramUserId_createdAt_idx" ON "chat_link_failures"("telegramUserId", "createdAt");

-- CreateIndex
CREATE INDEX "chat_link_failures_chatId_createdAt_idx" ON "chat_link_failures"("chatId", "createdAt");
