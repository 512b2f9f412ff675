import { basename, extname } from 'node:path';
import { Logger } from '@nestjs/common';
import { chunkBlocks } from './chunker';
import { KbInputError, paragraphsOf, type ParsedDocument } from './document-blocks';
import type { EmbeddingsClient } from './embeddings';
import type { KbDocumentInfo, KbHit } from './kb-types';
import { KbRepository } from './kb.repository';
import { parseDocument } from './parsers/parse-document';
import { parseMarkdown } from './parsers/markdown.parser';
import { reciprocalRankFusion } from './rank-fusion';
import type { KbVectorStore } from './vector-store';

/** Settings of KnowledgeBase (see kbEnv in @kraken/config). */
export interface KnowledgeBaseOptions {
  /** Target section size in tokens (KB_CHUNK_TOKENS). */
  chunkTokens: number;
  /** Model tokens are counted for. */
  model: string;
  /** Largest file accepted, bytes. */
  maxFileBytes: number;
  /** Full-text score a section needs to count as found (KB_MIN_SCORE). */
  minScore: number;
  /** Cosine similarity a vector hit needs to count as found (KB_MIN_SIMILARITY). */
  minSimilarity: number;
  /** Embeddings (optional; used only when `vectors` is enabled too). */
  embeddings?: EmbeddingsClient;
  vectors?: KbVectorStore;
}

/** Where a new document belongs and who added it. */
export interface AddOptions {
  /** Chat the document answers in; null for every chat. */
  chatId: number | null;
  /** Title; default the file name without extension. */
  title?: string;
  mimeType?: string;
  addedById?: number;
}

/** The result of adding a document. */
export interface AddedDocument {
  id: number;
  title: string;
  chunks: number;
  /** Whether the sections were embedded too. */
  embedded: boolean;
}

/** Most characters of a title taken from a text's first line. */
const TITLE_CHARS = 80;

/**
 * The community's knowledge base: documents in, ranked sections out.
 * - add: parse (Markdown, TXT, HTML, PDF, DOCX) → sections of about `chunkTokens` split on headings
 *   and paragraphs → PostgreSQL with full-text vectors (re-adding the same source replaces it) → and,
 *   when embeddings and pgvector are both available, section embeddings;
 * - search: PostgreSQL full-text search; with vectors, also the nearest sections by embedding, the two
 *   lists fused by reciprocal rank fusion;
 * - relevant: the hits good enough to answer from (score ≥ minScore or similarity ≥ minSimilarity).
 */
export class KnowledgeBase {
  private readonly logger = new Logger(KnowledgeBase.name);

  constructor(
    readonly repository: KbRepository,
    private readonly options: KnowledgeBaseOptions,
  ) {}

  /**
   * Adds (or replaces) a document from a file's bytes.
   * @throws KbInputError for empty, too large, unsupported, unreadable or text-less files
   */
  async addFile(data: Buffer, fileName: string, options: AddOptions): Promise<AddedDocument> {
    const parsed = await parseDocument(data, fileName, { mimeType: options.mimeType, maxBytes: this.options.maxFileBytes });
    const name = basename(fileName);
    const title = (options.title ?? basename(name, extname(name))).trim() || name;
    return this.store(parsed, { ...options, title, source: name, bytes: data.length });
  }

  /**
   * Adds (or replaces) a document from a text (Markdown allowed); its title is `options.title`, else
   * its first heading or line. The source is `text:<title>`, so re-adding a text with the same title
   * replaces it. @throws KbInputError for an empty text
   */
  async addText(text: string, options: AddOptions): Promise<AddedDocument> {
    if (!text.trim()) throw new KbInputError('empty', 'the text is empty');
    const bytes = Buffer.byteLength(text);
    if (bytes > this.options.maxFileBytes) throw new KbInputError('too-large', 'the text is too long');
    const parsed = parseMarkdown(text);
    if (parsed.blocks.length === 0) parsed.blocks = paragraphsOf(text);
    const firstLine = text.trim().split('\n')[0].replace(/^#+\s*/, '').trim();
    const title = (options.title ?? parsed.title ?? firstLine).slice(0, TITLE_CHARS).trim() || 'text';
    return this.store(parsed, { ...options, title, source: `text:${title}`, bytes });
  }

  /** Documents of a chat and those for every chat. @throws the database error */
  list(chatId: number | null, includeShared = true): Promise<KbDocumentInfo[]> {
    return this.repository.listDocuments(chatId, includeShared);
  }

  /** One document or null. @throws the database error */
  get(id: number): Promise<KbDocumentInfo | null> {
    return this.repository.getDocument(id);
  }

  /** Removes a document. @returns whether it existed. @throws the database error */
  remove(id: number): Promise<boolean> {
    return this.repository.removeDocument(id);
  }

  /** True when answers in `chatId` can use a knowledge base. @throws the database error */
  hasDocuments(chatId: number): Promise<boolean> {
    return this.repository.hasDocuments(chatId);
  }

  /**
   * The best `limit` sections for a question, best first: full-text search, fused with the nearest
   * embeddings when vectors are enabled (an embeddings failure is logged and search stays full-text).
   * @throws the database error
   */
  async search(question: string, chatId: number | null, limit: number): Promise<KbHit[]> {
    const text = question.trim();
    if (!text) return [];
    const fts = await this.repository.search(text, chatId, Math.max(limit, 20));
    const nearest = await this.nearest(text, chatId, Math.max(limit, 20));
    if (!nearest) return fts.slice(0, limit);
    const similarity = new Map(nearest.map((n) => [n.chunkId, n.similarity]));
    const byId = new Map<number, KbHit>(fts.map((h) => [h.chunkId, h]));
    const missing = nearest.map((n) => n.chunkId).filter((id) => !byId.has(id));
    for (const chunk of await this.repository.chunksByIds(missing)) byId.set(chunk.chunkId, { ...chunk, score: 0 });
    return reciprocalRankFusion([fts.map((h) => h.chunkId), nearest.map((n) => n.chunkId)])
      .slice(0, limit)
      .flatMap(({ item, value }) => {
        const hit = byId.get(item);
        return hit ? [{ ...hit, fused: value, ...(similarity.has(item) ? { similarity: similarity.get(item) } : {}) }] : [];
      });
  }

  /** The sections good enough to answer from (see class doc), best first, at most `limit`. @throws the database error */
  async relevant(question: string, chatId: number, limit: number): Promise<KbHit[]> {
    const hits = await this.search(question, chatId, limit * 2);
    return hits.filter((h) => this.passes(h)).slice(0, limit);
  }

  /** Whether a hit clears the thresholds. */
  passes(hit: KbHit): boolean {
    return hit.score >= this.options.minScore || (hit.similarity ?? 0) >= this.options.minSimilarity;
  }

  private async store(parsed: ParsedDocument, meta: AddOptions & { title: string; source: string; bytes: number }): Promise<AddedDocument> {
    const chunks = chunkBlocks(parsed.blocks, { maxTokens: this.options.chunkTokens, model: this.options.model });
    if (chunks.length === 0) throw new KbInputError('no-text', 'the document contains no text');
    const id = await this.repository.replaceDocument(
      { chatId: meta.chatId, title: meta.title, source: meta.source, format: parsed.format, bytes: meta.bytes, addedById: meta.addedById },
      chunks,
    );
    const embedded = await this.embed(id);
    return { id, title: meta.title, chunks: chunks.length, embedded };
  }

  private async embed(documentId: number): Promise<boolean> {
    const { embeddings, vectors } = this.options;
    if (!embeddings || !vectors || !(await vectors.enabled())) return false;
    try {
      const chunks = await this.repository.chunksOf(documentId);
      const vectorsOf = await embeddings.embed(chunks.map((c) => `${c.heading}\n${c.content}`.trim()));
      await vectors.store(embeddings.settings.model, chunks.map((c, i) => ({ chunkId: c.id, embedding: vectorsOf[i] })));
      return true;
    } catch (error) {
      this.logger.warn(`sections not embedded (search stays full-text for this document): ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  private async nearest(question: string, chatId: number | null, limit: number) {
    const { embeddings, vectors } = this.options;
    if (!embeddings || !vectors || !(await vectors.enabled())) return null;
    try {
      const [vector] = await embeddings.embed([question]);
      return await vectors.nearest(embeddings.settings.model, vector, chatId, limit);
    } catch (error) {
      this.logger.warn(`vector search skipped: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }
}
