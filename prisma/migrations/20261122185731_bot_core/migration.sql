-- AlterTable
ALTER TABLE "users" ADD COLUMN "appliedAt" DATETIME;

-- AlterTable
ALTER TABLE "notification_outbox" ADD COLUMN "attachmentName" TEXT;
ALTER TABLE "notification_outbox" ADD COLUMN "replyMarkup" JSONB;

