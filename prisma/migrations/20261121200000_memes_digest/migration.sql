-- CreateEnum
CREATE TYPE "MemeKind" AS ENUM ('photo', 'video', 'animation');

-- CreateEnum
CREATE TYPE "MemeStatus" AS ENUM ('submitted', 'approved', 'rejected');

-- CreateEnum
CREATE TYPE "DigestStatus" AS ENUM ('pending', 'running', 'published', 'failed');

-- CreateTable
CREATE TABLE "Meme" (
    "id" BIGSERIAL NOT NULL,
    "fileUniqueId" TEXT NOT NULL,
    "fileId" TEXT NOT NULL,
    "kind" "MemeKind" NOT NULL,
    "chatId" BIGINT,
    "sourceChatId" BIGINT NOT NULL,
    "sourceMessageId" INTEGER NOT NULL,
    "submitterId" BIGINT NOT NULL,
    "submitterName" TEXT NOT NULL,
    "authorId" BIGINT,
    "authorName" TEXT NOT NULL,
    "authorUsername" TEXT,
    "status" "MemeStatus" NOT NULL DEFAULT 'submitted',
    "submittedAt" TIMESTAMPTZ(3) NOT NULL,
    "moderationChatId" BIGINT,
    "moderationMessageId" INTEGER,
    "decidedById" BIGINT,
    "decidedByName" TEXT,
    "decidedAt" TIMESTAMPTZ(3),
    "reason" TEXT,
    "channelChatId" BIGINT,
    "channelMessageId" INTEGER,
    "postedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Meme_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Digest" (
    "id" BIGSERIAL NOT NULL,
    "chatId" BIGINT NOT NULL,
    "month" TEXT NOT NULL,
    "status" "DigestStatus" NOT NULL DEFAULT 'pending',
    "claimedBy" TEXT,
    "leaseUntil" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "targetChatId" TEXT,
    "content" JSONB,
    "headlinesSource" TEXT,
    "builtAt" TIMESTAMPTZ(3),
    "mediaMessageIds" INTEGER[],
    "mediaSentAt" TIMESTAMPTZ(3),
    "textMessageIds" INTEGER[],
    "publishedAt" TIMESTAMPTZ(3),
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Digest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Meme_fileUniqueId_key" ON "Meme"("fileUniqueId");

-- CreateIndex
CREATE INDEX "Meme_chatId_submittedAt_idx" ON "Meme"("chatId", "submittedAt");

-- CreateIndex
CREATE INDEX "Meme_channelChatId_postedAt_idx" ON "Meme"("channelChatId", "postedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Meme_moderationChatId_moderationMessageId_key" ON "Meme"("moderationChatId", "moderationMessageId");

-- CreateIndex
CREATE UNIQUE INDEX "Digest_chatId_month_key" ON "Digest"("chatId", "month");
