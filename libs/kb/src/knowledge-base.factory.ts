import type { KbEnv } from '@kraken/config';
import type { PrismaClient } from '@kraken/db';
import type { LlmSettings } from '@kraken/llm';
import { EmbeddingsClient } from './embeddings';
import { KbRepository } from './kb.repository';
import { KnowledgeBase } from './knowledge-base';
import { KbVectorStore } from './vector-store';

/**
 * A KnowledgeBase from validated settings: sections of KB_CHUNK_TOKENS counted for the first
 * provider's chat model; embeddings from the first LLM provider's `/embeddings` when
 * KB_EMBEDDINGS_MODEL is set and a provider is configured (pgvector decides at first use).
 */
export function createKnowledgeBase(db: Pick<PrismaClient, '$queryRaw' | '$executeRaw' | '$executeRawUnsafe' | '$transaction'>, kb: KbEnv, llm: LlmSettings): KnowledgeBase {
  const provider = llm.providers[0];
  const embeddings =
    kb.KB_EMBEDDINGS_MODEL && provider
      ? new EmbeddingsClient({ baseUrl: provider.baseUrl, apiKey: provider.apiKey, model: kb.KB_EMBEDDINGS_MODEL, timeoutMs: llm.timeoutMs })
      : undefined;
  return new KnowledgeBase(new KbRepository(db), {
    chunkTokens: kb.KB_CHUNK_TOKENS,
    model: provider?.chatModel ?? 'gpt-4o-mini',
    maxFileBytes: kb.KB_MAX_FILE_MB * 1024 * 1024,
    minScore: kb.KB_MIN_SCORE,
    minSimilarity: kb.KB_MIN_SIMILARITY,
    ...(embeddings ? { embeddings, vectors: new KbVectorStore(db) } : {}),
  });
}
