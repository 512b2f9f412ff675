import type { PrismaClient } from '@kraken/db';

type Db = Pick<PrismaClient, '$queryRaw' | '$executeRaw' | '$executeRawUnsafe'>;

/**
 * Section embeddings in PostgreSQL with pgvector (https://github.com/pgvector/pgvector), used only
 * when KB_EMBEDDINGS_MODEL is set and the server offers the `vector` extension. The table is created
 * on first use, outside the Prisma migrations (which must run on servers without the extension):
 * `"KbChunkEmbedding"("chunkId" → KbChunk, cascade; "model"; "embedding" vector)`. Searches are exact
 * cosine scans (`<=>`), fine for tens of thousands of sections; a dimension-specific HNSW index can be
 * added by hand for more.
 * Raw SQL on purpose: the table, the `vector` type and its `<=>` operator are pgvector's, outside
 * schema.prisma, so Prisma's typed client does not know them.
 */
export class KbVectorStore {
  private ready?: Promise<boolean>;

  constructor(private readonly db: Db) {}

  /**
   * Whether vectors can be used: the `vector` extension exists (or can be created) on the server;
   * creates it and the table on the first call. Never throws: a missing extension or a role without
   * the right to create it means "no", and search stays full-text only.
   */
  enabled(): Promise<boolean> {
    this.ready ??= (async () => {
      try {
        const available = await this.db.$queryRaw<unknown[]>`SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`;
        if (available.length === 0) return false;
        await this.db.$executeRawUnsafe('CREATE EXTENSION IF NOT EXISTS vector');
        await this.db.$executeRawUnsafe(
          'CREATE TABLE IF NOT EXISTS "KbChunkEmbedding" ("chunkId" BIGINT PRIMARY KEY REFERENCES "KbChunk"("id") ON DELETE CASCADE, "model" TEXT NOT NULL, "embedding" vector NOT NULL)',
        );
        return true;
      } catch {
        return false;
      }
    })();
    return this.ready;
  }

  /** Stores (or replaces) the embeddings of sections. @throws the database error */
  async store(model: string, rows: ReadonlyArray<{ chunkId: number; embedding: number[] }>): Promise<void> {
    if (rows.length === 0) return;
    await this.db.$executeRaw`
      INSERT INTO "KbChunkEmbedding" ("chunkId", "model", "embedding")
      SELECT t.id, ${model}, t.v::vector FROM unnest(${rows.map((r) => BigInt(r.chunkId))}::bigint[], ${rows.map((r) => vectorLiteral(r.embedding))}::text[]) AS t(id, v)
      ON CONFLICT ("chunkId") DO UPDATE SET "model" = EXCLUDED."model", "embedding" = EXCLUDED."embedding"`;
  }

  /**
   * The `limit` sections of `chatId`'s documents (and those for every chat) nearest to `embedding`
   * made with `model`, best first, with cosine similarity. @throws the database error
   */
  async nearest(model: string, embedding: number[], chatId: number | null, limit: number): Promise<Array<{ chunkId: number; similarity: number }>> {
    const chat = chatId === null ? null : BigInt(chatId);
    const rows = await this.db.$queryRaw<Array<{ chunkId: bigint; similarity: number }>>`
      SELECT e."chunkId", (1 - (e."embedding" <=> ${vectorLiteral(embedding)}::vector))::float8 AS similarity
      FROM "KbChunkEmbedding" e JOIN "KbChunk" c ON c."id" = e."chunkId" JOIN "KbDocument" d ON d."id" = c."documentId"
      WHERE e."model" = ${model} AND (d."chatId" IS NULL OR d."chatId" = ${chat}::bigint)
      ORDER BY e."embedding" <=> ${vectorLiteral(embedding)}::vector LIMIT ${limit}`;
    return rows.map((r) => ({ chunkId: Number(r.chunkId), similarity: Number(r.similarity) }));
  }
}

/** pgvector's text form `[0.1,0.2,…]`, built from numbers only. */
function vectorLiteral(values: readonly number[]): string {
  return `[${values.map((v) => (Number.isFinite(v) ? v : 0)).join(',')}]`;
}
