-- CreateTable
CREATE TABLE "KbDocument" (
    "id" BIGSERIAL NOT NULL,
    "chatId" BIGINT,
    "title" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "chunkCount" INTEGER NOT NULL,
    "addedById" BIGINT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "KbDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KbChunk" (
    "id" BIGSERIAL NOT NULL,
    "documentId" BIGINT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "heading" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "tokens" INTEGER NOT NULL,
    "searchRu" tsvector NOT NULL,
    "searchEn" tsvector NOT NULL,

    CONSTRAINT "KbChunk_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "KbDocument_sourceKey_key" ON "KbDocument"("sourceKey");

-- CreateIndex
CREATE INDEX "KbDocument_chatId_idx" ON "KbDocument"("chatId");

-- CreateIndex
CREATE INDEX "KbChunk_searchRu_idx" ON "KbChunk" USING GIN ("searchRu");

-- CreateIndex
CREATE INDEX "KbChunk_searchEn_idx" ON "KbChunk" USING GIN ("searchEn");

-- CreateIndex
CREATE UNIQUE INDEX "KbChunk_documentId_ordinal_key" ON "KbChunk"("documentId", "ordinal");

-- AddForeignKey
ALTER TABLE "KbChunk" ADD CONSTRAINT "KbChunk_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "KbDocument"("id") ON DELETE CASCADE ON UPDATE CASCADE;
