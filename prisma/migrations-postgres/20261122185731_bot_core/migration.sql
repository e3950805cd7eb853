-- AlterTable
ALTER TABLE "users" ADD COLUMN     "appliedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "notification_outbox" ADD COLUMN     "attachmentName" TEXT,
ADD COLUMN     "replyMarkup" JSONB;

