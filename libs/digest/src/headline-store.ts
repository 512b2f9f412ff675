import { createHash } from 'node:crypto';
import type { PrismaService } from '@kraken/db';
import type { LlmMessage } from '@kraken/llm';

/** What identifies a headline request: everything sent to the model. */
export interface HeadlineRequest {
  /** Model the request goes to (DIGEST_MODEL of the first provider). */
  model: string;
  /** Completion token cap (DIGEST_MAX_TOKENS). */
  maxTokens: number;
  /** The messages: the month's material and the prompt. */
  messages: readonly LlmMessage[];
}

/** SHA-256 (hex) of a headline request: equal only for byte-identical model, token cap and messages. */
export function headlineRequestHash(request: HeadlineRequest): string {
  return createHash('sha256')
    .update(JSON.stringify({ model: request.model, maxTokens: request.maxTokens, messages: request.messages.map((m) => [m.role, m.content]) }))
    .digest('hex');
}

/**
 * DigestHeadlines rows: the headlines DIGEST_MODEL wrote for a chat's month, under the hash of the
 * request that produced them (headlineRequestHash). Composing the same month again from the same
 * data (a publish after its preview, a forced re-post) finds them and makes no second LLM call; any
 * change in the data (a late reaction, an edit, another prompt or model) changes the hash.
 */
export class DigestHeadlineStore {
  constructor(private readonly prisma: PrismaService) {}

  /** The stored headlines of (chat, month, request hash), or null. @throws the database error */
  async find(chatId: number, month: string, requestHash: string): Promise<string[] | null> {
    const row = await this.prisma.digestHeadlines.findUnique({ where: { chatId_month_requestHash: { chatId: BigInt(chatId), month, requestHash } } });
    return row?.headlines ?? null;
  }

  /** Stores headlines; the first stored for a hash wins (concurrent composers agree on either). @throws the database error */
  async save(chatId: number, month: string, requestHash: string, headlines: readonly string[]): Promise<void> {
    await this.prisma.digestHeadlines.createMany({ data: [{ chatId: BigInt(chatId), month, requestHash, headlines: [...headlines] }], skipDuplicates: true });
  }
}
