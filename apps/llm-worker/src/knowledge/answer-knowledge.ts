import { botNamePattern } from '@kraken/chat';
import { KnowledgeBase, knowledgeBlock, NO_KNOWLEDGE_INSTRUCTION, withCitations } from '@kraken/kb';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { LlmWorkerEnv } from '../llm-worker.env';

/** Knowledge-base material of one answer. */
export interface AnswerMaterial {
  /** Prompt section (excerpts, or the "say you do not know" instruction); undefined without a knowledge base. */
  text?: string;
  /** Citations to append to the answer. */
  citations: string[];
}

/**
 * The knowledge base in ordinary answers: in a chat with documents (its own or for every chat), the
 * best sections scoring at least KB_MIN_SCORE (at most KB_TOP_K, within KB_PROMPT_TOKENS) go into the
 * prompt and the answer cites them ("📎 Rules, §3"); when none does, the prompt tells the model to say
 * it does not know instead of inventing a fact. Chats without documents are untouched.
 */
@Injectable()
export class AnswerKnowledge {
  private readonly names: RegExp;

  constructor(
    private readonly kb: KnowledgeBase,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
  ) {
    this.names = botNamePattern(config.get('BOT_NAMES', { infer: true }));
  }

  /** Material for answering `question` in `chatId`, counted for `model`. @throws the database error */
  async prepare(chatId: number, question: string, model: string): Promise<AnswerMaterial> {
    if (!(await this.kb.hasDocuments(chatId))) return { citations: [] };
    const hits = await this.kb.relevant(question.replace(this.names, ''), chatId, this.config.get('KB_TOP_K', { infer: true }));
    if (hits.length === 0) return { text: NO_KNOWLEDGE_INSTRUCTION, citations: [] };
    const block = knowledgeBlock(hits, model, this.config.get('KB_PROMPT_TOKENS', { infer: true }));
    return block.text ? { text: block.text, citations: block.citations } : { text: NO_KNOWLEDGE_INSTRUCTION, citations: [] };
  }

  /** The answer with its citations line. */
  cite(answer: string, citations: readonly string[]): string {
    return withCitations(answer, citations);
  }
}
