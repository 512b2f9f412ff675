-- CreateTable
CREATE TABLE "LlmUsage" (
    "id" BIGSERIAL NOT NULL,
    "requestKey" TEXT,
    "chatId" BIGINT,
    "userId" BIGINT,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "promptTokens" INTEGER NOT NULL,
    "completionTokens" INTEGER NOT NULL,
    "costUsd" DECIMAL(14,8) NOT NULL,
    "cached" BOOLEAN NOT NULL,
    "latencyMs" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LlmUsage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatSetting" (
    "chatId" BIGINT NOT NULL,
    "questionPolicy" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ChatSetting_pkey" PRIMARY KEY ("chatId")
);

-- CreateIndex
CREATE UNIQUE INDEX "LlmUsage_requestKey_key" ON "LlmUsage"("requestKey");

-- CreateIndex
CREATE INDEX "LlmUsage_chatId_createdAt_idx" ON "LlmUsage"("chatId", "createdAt");

-- CreateIndex
CREATE INDEX "LlmUsage_createdAt_idx" ON "LlmUsage"("createdAt");
