/**
 * A schema using the Prisma features Kraken's schema does not use yet (@map, @@map, enum @map/@@map,
 * @unique, compound @@unique, DESC index, scalar and enum lists, native types, autoincrement, uuid(),
 * now(), enum default, @updatedAt, required and optional relations), and the SQL `prisma migrate dev`
 * writes for it, in Prisma's style. The drift test checks that the checker finds them equal.
 */
/** The fixture schema.prisma. */
export const CHECKER_FIXTURE_PRISMA = `
datasource db {
  provider = "postgresql"
}

enum Role {
  admin  @map("ADMIN")
  member

  @@map("role")
}

model Account {
  id        Int      @id @default(autoincrement())
  email     String   @unique @db.VarChar(320)
  handle    String   @map("user_handle")
  roles     Role[]
  role      Role     @default(member)
  tags      String[]
  balance   Decimal
  price     Decimal? @db.Decimal(10, 2)
  ratio     Float?
  token     String   @default(uuid()) @db.Uuid
  avatar    Bytes?
  seenAt    DateTime @default(now())
  day       DateTime @db.Date
  updatedAt DateTime @updatedAt
  posts     Post[]

  @@unique([handle, balance])
  @@index([seenAt(sort: Desc)])
  @@map("accounts")
}

model Post {
  id        BigInt    @id
  accountId Int
  account   Account   @relation(fields: [accountId], references: [id], onDelete: Cascade)
  comments  Comment[]
}

model Comment {
  id     Int    @id
  postId BigInt?
  post   Post?  @relation(fields: [postId], references: [id])
}
`;

/** The migration `prisma migrate dev` generates for CHECKER_FIXTURE_PRISMA on an empty database. */
export const CHECKER_FIXTURE_SQL = `-- CreateEnum
CREATE TYPE "role" AS ENUM ('ADMIN', 'member');

-- CreateTable
CREATE TABLE "accounts" (
    "id" SERIAL NOT NULL,
    "email" VARCHAR(320) NOT NULL,
    "user_handle" TEXT NOT NULL,
    "roles" "role"[],
    "role" "role" NOT NULL DEFAULT 'member',
    "tags" TEXT[],
    "balance" DECIMAL(65,30) NOT NULL,
    "price" DECIMAL(10,2),
    "ratio" DOUBLE PRECISION,
    "token" UUID NOT NULL,
    "avatar" BYTEA,
    "seenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "day" DATE NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Post" (
    "id" BIGINT NOT NULL,
    "accountId" INTEGER NOT NULL,

    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Comment" (
    "id" INTEGER NOT NULL,
    "postId" BIGINT,

    CONSTRAINT "Comment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "accounts_email_key" ON "accounts"("email");

-- CreateIndex
CREATE INDEX "accounts_seenAt_idx" ON "accounts"("seenAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "accounts_user_handle_balance_key" ON "accounts"("user_handle", "balance");

-- AddForeignKey
ALTER TABLE "Post" ADD CONSTRAINT "Post_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_postId_fkey" FOREIGN KEY ("postId") REFERENCES "Post"("id") ON DELETE SET NULL ON UPDATE CASCADE;
`;
