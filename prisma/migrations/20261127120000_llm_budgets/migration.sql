-- CreateTable
CREATE TABLE "LlmBudgetCounter" (
    "scope" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "usd" DECIMAL(14,8) NOT NULL,

    CONSTRAINT "LlmBudgetCounter_pkey" PRIMARY KEY ("scope","period")
);

-- CreateTable
CREATE TABLE "LlmBudgetReservation" (
    "key" TEXT NOT NULL,
    "usd" DECIMAL(14,8) NOT NULL,
    "counters" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LlmBudgetReservation_pkey" PRIMARY KEY ("key")
);
