import type { PrismaClient } from '@kraken/db';
import type { DocumentChunk } from './chunker';
import { identifierWords } from './identifiers';
import type { KbDocumentInfo, KbHit, NewKbDocument } from './kb-types';

type Db = Pick<PrismaClient, '$queryRaw' | '$executeRaw' | '$transaction'>;

/** Rows inserted per statement when storing chunks. */
const INSERT_BATCH = 500;
/** Most distinct question terms searched for (longer questions keep their first ones). */
export const MAX_QUERY_TERMS = 32;
/** Longest question term kept, in characters. */
const MAX_TERM_LENGTH = 64;

/**
 * ts_rank weights {D, C, B, A}: a term in the section's text (D) counts 0.4, in a heading (A) 1.0
 * (https://www.postgresql.org/docs/current/textsearch-controls.html#TEXTSEARCH-RANKING).
 */
const RANK_WEIGHTS = [0.4, 0.6, 0.8, 1.0];

/** Key that makes re-adding the same source to the same scope replace the document. */
export const sourceKeyOf = (chatId: number | null, source: string): string => `${chatId ?? 'all'}:${source}`;

/**
 * The question's terms for search: whitespace-separated words, de-duplicated (case-insensitive),
 * at most MAX_QUERY_TERMS of at most MAX_TERM_LENGTH characters. Each term reaches PostgreSQL only
 * as a bound parameter of `plainto_tsquery`, which reads any text as plain words: `&`, `|`, `!`,
 * `:*`, quotes and SQL are just characters there and never tsquery syntax.
 */
export function questionTerms(question: string): string[] {
  const seen = new Set<string>();
  const terms: string[] = [];
  for (const raw of question.split(/\s+/)) {
    const term = raw.slice(0, MAX_TERM_LENGTH);
    const key = term.toLowerCase();
    if (!term || seen.has(key)) continue;
    seen.add(key);
    terms.push(term);
    if (terms.length === MAX_QUERY_TERMS) break;
  }
  return terms;
}

/**
 * SQL of the knowledge base (KbDocument, KbChunk). Chunks carry two full-text vectors written with
 * the row: `russian` and `english` configurations, the document title, the section's heading path and
 * the words of identifiers in them (see identifierWords) weighted A, the text weighted D.
 * Raw SQL on purpose: the vectors are `Unsupported("tsvector")` columns Prisma's typed client can
 * neither write nor rank by (`to_tsvector`, `setweight`, `plainto_tsquery`, `ts_rank`); the few
 * plain document reads beside the search keep the same SQL row mapping (documentInfo) rather than a
 * second, Prisma-shaped one.
 */
export class KbRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores a document with its chunks in one transaction, replacing the document with the same
   * source in the same scope (chat or all chats). @returns the new document's id.
   * @throws the database error (nothing is stored then)
   */
  async replaceDocument(document: NewKbDocument, chunks: readonly DocumentChunk[]): Promise<number> {
    const key = sourceKeyOf(document.chatId, document.source);
    return this.db.$transaction(async (tx) => {
      await tx.$executeRaw`DELETE FROM "KbDocument" WHERE "sourceKey" = ${key}`;
      const [{ id }] = await tx.$queryRaw<Array<{ id: bigint }>>`
        INSERT INTO "KbDocument" ("chatId", "title", "source", "sourceKey", "format", "bytes", "chunkCount", "addedById", "updatedAt")
        VALUES (${document.chatId === null ? null : BigInt(document.chatId)}::bigint, ${document.title}, ${document.source}, ${key},
          ${document.format}, ${document.bytes}, ${chunks.length}, ${document.addedById === undefined ? null : BigInt(document.addedById)}::bigint, now())
        RETURNING "id"`;
      for (let i = 0; i < chunks.length; i += INSERT_BATCH) {
        const batch = chunks.slice(i, i + INSERT_BATCH);
        const heads = batch.map((c) => {
          const head = `${document.title}\n${c.heading}`;
          return `${head}\n${identifierWords(head)}`;
        });
        await tx.$executeRaw`
          INSERT INTO "KbChunk" ("documentId", "ordinal", "heading", "content", "tokens", "searchRu", "searchEn")
          SELECT ${id}, t.ordinal, t.heading, t.content, t.tokens,
            setweight(to_tsvector('russian', t.head), 'A') || setweight(to_tsvector('russian', t.content), 'D'),
            setweight(to_tsvector('english', t.head), 'A') || setweight(to_tsvector('english', t.content), 'D')
          FROM unnest(${batch.map((c) => c.ordinal)}::int[], ${batch.map((c) => c.heading)}::text[],
            ${batch.map((c) => c.content)}::text[], ${batch.map((c) => c.tokens)}::int[], ${heads}::text[])
            AS t(ordinal, heading, content, tokens, head)`;
      }
      return Number(id);
    }, { timeout: 120_000 });
  }

  /** Documents of `chatId` (and, with `includeShared`, those for every chat), newest first. @throws the database error */
  async listDocuments(chatId: number | null, includeShared = true): Promise<KbDocumentInfo[]> {
    const chat = chatId === null ? null : BigInt(chatId);
    const rows = await this.db.$queryRaw<Array<{ id: bigint; chatId: bigint | null; title: string; source: string; format: string; bytes: number; chunkCount: number; createdAt: Date; updatedAt: Date }>>`
      SELECT "id", "chatId", "title", "source", "format", "bytes", "chunkCount", "createdAt", "updatedAt" FROM "KbDocument"
      WHERE "chatId" IS NOT DISTINCT FROM ${chat}::bigint OR (${includeShared} AND "chatId" IS NULL)
      ORDER BY "updatedAt" DESC, "id" DESC`;
    return rows.map(documentInfo);
  }

  /** One document, or null. @throws the database error */
  async getDocument(id: number): Promise<KbDocumentInfo | null> {
    const rows = await this.db.$queryRaw<Array<{ id: bigint; chatId: bigint | null; title: string; source: string; format: string; bytes: number; chunkCount: number; createdAt: Date; updatedAt: Date }>>`
      SELECT "id", "chatId", "title", "source", "format", "bytes", "chunkCount", "createdAt", "updatedAt" FROM "KbDocument" WHERE "id" = ${BigInt(id)}`;
    return rows[0] ? documentInfo(rows[0]) : null;
  }

  /** Deletes a document and its chunks. @returns whether it existed. @throws the database error */
  async removeDocument(id: number): Promise<boolean> {
    return (await this.db.$executeRaw`DELETE FROM "KbDocument" WHERE "id" = ${BigInt(id)}`) > 0;
  }

  /** True when `chatId` has documents of its own or there are documents for every chat. @throws the database error */
  async hasDocuments(chatId: number): Promise<boolean> {
    const rows = await this.db.$queryRaw<unknown[]>`
      SELECT 1 FROM "KbDocument" WHERE "chatId" = ${BigInt(chatId)}::bigint OR "chatId" IS NULL LIMIT 1`;
    return rows.length > 0;
  }

  /** Chats that have documents of their own, and `'all'` when documents for every chat exist. @throws the database error */
  async chatsWithDocuments(): Promise<string[]> {
    const rows = await this.db.$queryRaw<Array<{ chat: string }>>`SELECT DISTINCT coalesce("chatId"::text, 'all') AS chat FROM "KbDocument"`;
    return rows.map((r) => r.chat);
  }

  /** Chunks of a document in order, with their ids (for embedding). @throws the database error */
  async chunksOf(documentId: number): Promise<Array<{ id: number; heading: string; content: string }>> {
    const rows = await this.db.$queryRaw<Array<{ id: bigint; heading: string; content: string }>>`
      SELECT "id", "heading", "content" FROM "KbChunk" WHERE "documentId" = ${BigInt(documentId)} ORDER BY "ordinal"`;
    return rows.map((r) => ({ id: Number(r.id), heading: r.heading, content: r.content }));
  }

  /**
   * Full-text search over the documents of `chatId` and those for every chat (`chatId` null: only
   * the latter). Each question term becomes `plainto_tsquery` in both configurations (a stop word of
   * either language is dropped: `когда`, `the`); a section's
   * score is the IDF-weighted share of terms it contains (see KbHit.score), so rare words weigh more
   * than common ones and a section needs no exact phrase. Best first, ties by id.
   * @throws the database error
   */
  async search(question: string, chatId: number | null, limit: number): Promise<KbHit[]> {
    const terms = questionTerms(question);
    if (terms.length === 0) return [];
    const chat = chatId === null ? null : BigInt(chatId);
    const rows = await this.db.$queryRaw<Array<{ id: bigint; documentId: bigint; title: string; ordinal: number; heading: string; content: string; tokens: number; score: number }>>`
      WITH terms AS (
        SELECT t.term, plainto_tsquery('english', t.term) AS en, plainto_tsquery('russian', t.term) AS ru
        FROM unnest(${terms}::text[]) AS t(term)
      ),
      useful AS (SELECT term, en, ru FROM terms WHERE numnode(en) > 0 AND numnode(ru) > 0),
      norm AS (SELECT ts_rank(${RANK_WEIGHTS}::float4[], setweight(to_tsvector('simple', 'x'), 'A'), plainto_tsquery('simple', 'x')) AS a),
      hits AS (
        SELECT u.term, c."id",
          greatest(ts_rank(${RANK_WEIGHTS}::float4[], c."searchEn", u.en), ts_rank(${RANK_WEIGHTS}::float4[], c."searchRu", u.ru)) AS r
        FROM useful u
        JOIN "KbChunk" c ON (c."searchEn" @@ u.en OR c."searchRu" @@ u.ru)
        JOIN "KbDocument" d ON d."id" = c."documentId" AND (d."chatId" IS NULL OR d."chatId" = ${chat}::bigint)
      ),
      total AS (
        SELECT greatest(coalesce(sum("chunkCount"), 0), 1)::float8 AS n FROM "KbDocument" WHERE "chatId" IS NULL OR "chatId" = ${chat}::bigint
      ),
      idf AS (
        SELECT u.term, ln(1 + ((SELECT n FROM total) - count(h."id") + 0.5) / (count(h."id") + 0.5)) AS w
        FROM useful u LEFT JOIN hits h ON h.term = u.term GROUP BY u.term
      ),
      scored AS (
        SELECT h."id", sum(i.w * least(1, h.r / (SELECT a FROM norm))) / (SELECT sum(w) FROM idf) AS score
        FROM hits h JOIN idf i ON i.term = h.term GROUP BY h."id"
        ORDER BY score DESC, h."id" LIMIT ${limit}
      )
      SELECT s."id", c."documentId", d."title", c."ordinal", c."heading", c."content", c."tokens", s.score::float8 AS score
      FROM scored s JOIN "KbChunk" c ON c."id" = s."id" JOIN "KbDocument" d ON d."id" = c."documentId"
      ORDER BY s.score DESC, s."id"`;
    return rows.map((r) => ({
      chunkId: Number(r.id),
      documentId: Number(r.documentId),
      title: r.title,
      ordinal: r.ordinal,
      heading: r.heading,
      content: r.content,
      tokens: r.tokens,
      score: Number(r.score),
    }));
  }

  /** Sections by id with their document titles (for vector hits), in no particular order. @throws the database error */
  async chunksByIds(ids: readonly number[]): Promise<Omit<KbHit, 'score'>[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.$queryRaw<Array<{ id: bigint; documentId: bigint; title: string; ordinal: number; heading: string; content: string; tokens: number }>>`
      SELECT c."id", c."documentId", d."title", c."ordinal", c."heading", c."content", c."tokens"
      FROM "KbChunk" c JOIN "KbDocument" d ON d."id" = c."documentId" WHERE c."id" = ANY(${ids.map(BigInt)}::bigint[])`;
    return rows.map((r) => ({ chunkId: Number(r.id), documentId: Number(r.documentId), title: r.title, ordinal: r.ordinal, heading: r.heading, content: r.content, tokens: r.tokens }));
  }
}

function documentInfo(row: { id: bigint; chatId: bigint | null; title: string; source: string; format: string; bytes: number; chunkCount: number; createdAt: Date; updatedAt: Date }): KbDocumentInfo {
  return {
    id: Number(row.id),
    chatId: row.chatId === null ? null : Number(row.chatId),
    title: row.title,
    source: row.source,
    format: row.format,
    bytes: row.bytes,
    chunkCount: row.chunkCount,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
