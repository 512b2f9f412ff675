-- CreateEnum
CREATE TYPE "AssistantRole" AS ENUM ('user', 'assistant');

-- CreateEnum
CREATE TYPE "LlmOutputLimitParam" AS ENUM ('max_tokens', 'max_completion_tokens');

-- CreateTable
CREATE TABLE "AssistantSession" (
    "id" UUID NOT NULL,
    "userId" BIGINT NOT NULL,
    "title" TEXT,
    "model" TEXT NOT NULL,
    "mode" TEXT NOT NULL DEFAULT 'assistant',
    "systemPrompt" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastActiveAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AssistantSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AssistantTurn" (
    "id" BIGSERIAL NOT NULL,
    "sessionId" UUID NOT NULL,
    "role" "AssistantRole" NOT NULL,
    "text" TEXT NOT NULL,
    "tokens" INTEGER NOT NULL,
    "reportedTokens" INTEGER,
    "requestKey" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AssistantTurn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LlmModel" (
    "id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "contextWindow" INTEGER NOT NULL,
    "outputLimitParam" "LlmOutputLimitParam" NOT NULL DEFAULT 'max_tokens',
    "inputUsdPerM" DECIMAL(12,6) NOT NULL,
    "cachedInputUsdPerM" DECIMAL(12,6),
    "outputUsdPerM" DECIMAL(12,6) NOT NULL,
    "vision" BOOLEAN NOT NULL DEFAULT false,
    "transcription" BOOLEAN NOT NULL DEFAULT false,
    "imageGeneration" BOOLEAN NOT NULL DEFAULT false,
    "responsesApi" BOOLEAN NOT NULL DEFAULT false,
    "streaming" BOOLEAN NOT NULL DEFAULT true,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LlmModel_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AssistantSession_userId_lastActiveAt_idx" ON "AssistantSession"("userId", "lastActiveAt" DESC);

-- CreateIndex
CREATE INDEX "AssistantTurn_sessionId_id_idx" ON "AssistantTurn"("sessionId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "AssistantTurn_requestKey_role_key" ON "AssistantTurn"("requestKey", "role");

-- AddForeignKey
ALTER TABLE "AssistantTurn" ADD CONSTRAINT "AssistantTurn_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "AssistantSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;
