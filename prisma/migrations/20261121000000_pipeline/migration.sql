-- CreateEnum
CREATE TYPE "MessageKind" AS ENUM ('text', 'photo', 'video', 'animation', 'sticker', 'voice', 'video_note', 'audio', 'document', 'poll', 'story', 'other');

-- CreateEnum
CREATE TYPE "MemberEventType" AS ENUM ('join', 'leave');

-- CreateEnum
CREATE TYPE "MemberEventSource" AS ENUM ('service_message', 'chat_member');

-- CreateTable
CREATE TABLE "Chat" (
    "id" BIGINT NOT NULL,
    "type" TEXT NOT NULL,
    "title" TEXT,
    "username" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Chat_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Sender" (
    "id" BIGINT NOT NULL,
    "name" TEXT NOT NULL,
    "username" TEXT,
    "isBot" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Sender_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Message" (
    "chatId" BIGINT NOT NULL,
    "messageId" INTEGER NOT NULL,
    "senderId" BIGINT,
    "date" TIMESTAMPTZ(3) NOT NULL,
    "kind" "MessageKind" NOT NULL,
    "textLength" INTEGER NOT NULL,
    "text" TEXT,
    "replyToMessageId" INTEGER,
    "threadId" INTEGER,
    "forwardOriginType" TEXT,
    "forwardOriginTitle" TEXT,
    "forwardOriginId" BIGINT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("chatId","messageId")
);

-- CreateTable
CREATE TABLE "MessageEdit" (
    "chatId" BIGINT NOT NULL,
    "messageId" INTEGER NOT NULL,
    "editDate" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MessageEdit_pkey" PRIMARY KEY ("chatId","messageId","editDate")
);

-- CreateTable
CREATE TABLE "MemberEvent" (
    "chatId" BIGINT NOT NULL,
    "userId" BIGINT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "type" "MemberEventType" NOT NULL,
    "source" "MemberEventSource" NOT NULL,
    "date" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MemberEvent_pkey" PRIMARY KEY ("chatId","sourceKey","userId")
);

-- CreateTable
CREATE TABLE "MemberCountSnapshot" (
    "chatId" BIGINT NOT NULL,
    "day" DATE NOT NULL,
    "count" INTEGER NOT NULL,
    "takenAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MemberCountSnapshot_pkey" PRIMARY KEY ("chatId","day")
);

-- CreateTable
CREATE TABLE "ReactionCount" (
    "chatId" BIGINT NOT NULL,
    "messageId" INTEGER NOT NULL,
    "totalCount" INTEGER NOT NULL,
    "reactions" JSONB NOT NULL,
    "date" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ReactionCount_pkey" PRIMARY KEY ("chatId","messageId")
);

-- CreateTable
CREATE TABLE "UserReaction" (
    "chatId" BIGINT NOT NULL,
    "messageId" INTEGER NOT NULL,
    "actorId" BIGINT NOT NULL,
    "reactions" JSONB NOT NULL,
    "count" INTEGER NOT NULL,
    "date" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "UserReaction_pkey" PRIMARY KEY ("chatId","messageId","actorId")
);

-- CreateIndex
CREATE INDEX "Message_chatId_date_idx" ON "Message"("chatId", "date");

-- CreateIndex
CREATE INDEX "MemberEvent_chatId_date_idx" ON "MemberEvent"("chatId", "date");
