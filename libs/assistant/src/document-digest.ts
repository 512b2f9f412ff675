import { countTokens, truncateToTokens, type LlmRequest, type LlmResult } from '@kraken/llm';
import { DocumentRefusal } from './document-text';

/** The part of LlmService the digest uses. */
export interface DigestLlm {
  complete(request: LlmRequest): Promise<LlmResult>;
}

/** Inputs of fitDocument. */
export interface FitDocumentInput {
  text: string;
  /** Model the answer will be asked of (tokens are counted for it). */
  model: string;
  /** Most tokens the document may take in the answer's prompt. */
  budgetTokens: number;
  /** Tokens of one chunk the fast model summarises. */
  chunkTokens: number;
  /** Most completion tokens of one chunk summary. */
  summaryTokens: number;
  /** Most summarising requests; a document needing more is refused before any request is made. */
  maxCalls: number;
  /** The instruction given with each chunk (in the user's language). */
  instruction: string;
  userId: number;
  chatId: number;
  /** Base of the usage rows' idempotency keys (`<key>-doc-<i>`). */
  requestKey: string;
}

/** What fitDocument produced: the text for the prompt and how many summarising requests it took. */
export interface FittedDocument {
  text: string;
  calls: number;
}

/**
 * Fits a document's text into `budgetTokens`: a text that fits is returned as it is; a longer one is
 * summarised map-reduce style by the fast model (LlmService role `chat`, CHAT_MODEL): cut into chunks
 * of `chunkTokens` on paragraph boundaries, each chunk summarised, and the joined summaries summarised
 * again while they are still over the budget; what is left over is cut to the budget.
 * @throws DocumentRefusal `too-long` when the first pass would take more than `maxCalls` requests
 *   (checked before any request, so nothing is billed); LlmService's errors (budget, outage) as they are
 */
export async function fitDocument(llm: DigestLlm, input: FitDocumentInput): Promise<FittedDocument> {
  if (countTokens(input.text, input.model) <= input.budgetTokens) return { text: input.text, calls: 0 };
  let chunks = chunksOf(input.text, input.model, input.chunkTokens);
  if (chunks.length > input.maxCalls) throw new DocumentRefusal('too-long', `the document needs ${chunks.length} chunks`);
  let calls = 0;
  let text = input.text;
  while (countTokens(text, input.model) > input.budgetTokens && calls + chunks.length <= input.maxCalls) {
    const summaries: string[] = [];
    for (const chunk of chunks) {
      const result = await llm.complete({
        role: 'chat',
        messages: [
          { role: 'system', content: input.instruction },
          { role: 'user', content: chunk },
        ],
        maxTokens: input.summaryTokens,
        chatId: input.chatId,
        userId: input.userId,
        purpose: 'assistant-document',
        requestKey: `${input.requestKey}-doc-${calls}`,
      });
      calls++;
      summaries.push(result.text.trim());
    }
    text = summaries.join('\n\n');
    if (chunks.length === 1) break;
    chunks = chunksOf(text, input.model, input.chunkTokens);
  }
  return { text: truncateToTokens(text, input.model, input.budgetTokens), calls };
}

/** `text` cut into pieces of at most `maxTokens` tokens, whole paragraphs where they fit. */
export function chunksOf(text: string, model: string, maxTokens: number): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let currentTokens = 0;
  const flush = () => {
    if (current.length) chunks.push(current.join('\n\n'));
    current = [];
    currentTokens = 0;
  };
  for (let paragraph of text.split(/\n\s*\n/).filter((p) => p.trim())) {
    let tokens = countTokens(paragraph, model);
    while (tokens > maxTokens) {
      flush();
      const head = truncateToTokens(paragraph, model, maxTokens).replace(/…$/, '');
      if (!head) break;
      chunks.push(head);
      paragraph = paragraph.slice(head.length);
      tokens = countTokens(paragraph, model);
    }
    if (currentTokens + tokens > maxTokens) flush();
    current.push(paragraph);
    currentTokens += tokens;
  }
  flush();
  return chunks;
}
