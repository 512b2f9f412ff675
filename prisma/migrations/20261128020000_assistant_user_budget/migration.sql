-- CreateTable
CREATE TABLE "AssistantUserBudget" (
    "userId" BIGINT NOT NULL,
    "dailyUsd" DECIMAL(12,6),
    "monthlyUsd" DECIMAL(12,6),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AssistantUserBudget_pkey" PRIMARY KEY ("userId")
);
