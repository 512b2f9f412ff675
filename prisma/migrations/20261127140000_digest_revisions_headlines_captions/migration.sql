-- AlterEnum
ALTER TYPE "DigestStatus" ADD VALUE 'skipped';

-- DropIndex
DROP INDEX "Digest_chatId_month_key";

-- AlterTable
ALTER TABLE "Digest" ADD COLUMN     "forceJobId" TEXT,
ADD COLUMN     "forcedById" BIGINT,
ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Meme" ADD COLUMN     "caption" TEXT;

-- CreateTable
CREATE TABLE "DigestHeadlines" (
    "chatId" BIGINT NOT NULL,
    "month" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "headlines" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DigestHeadlines_pkey" PRIMARY KEY ("chatId","month","requestHash")
);

-- CreateIndex
CREATE UNIQUE INDEX "Digest_forceJobId_key" ON "Digest"("forceJobId");

-- CreateIndex
CREATE UNIQUE INDEX "Digest_chatId_month_revision_key" ON "Digest"("chatId", "month", "revision");
