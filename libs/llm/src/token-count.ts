import { GptEncoding } from 'gpt-tokenizer/cjs/GptEncoding';
import { DEFAULT_ENCODING, modelToEncodingMap, type EncodingName, type ModelName } from 'gpt-tokenizer/cjs/mapping';
import type { LlmMessage } from './llm-types';

const encoders = new Map<EncodingName, GptEncoding>();

/**
 * The gpt-tokenizer encoding of `model`: the library's model map (cl100k_base for GPT-4/3.5,
 * o200k_base for GPT-4o and later); models it does not know (Llama, Gemini, …) use o200k_base, a
 * close estimate for modern BPE vocabularies. Encoders are built once per encoding and kept.
 */
function encoderFor(model: string): GptEncoding {
  const name = (modelToEncodingMap as Record<string, EncodingName | undefined>)[model as ModelName] ?? DEFAULT_ENCODING;
  let encoder = encoders.get(name);
  if (!encoder) {
    // Loaded on first use: the rank tables take ~240 ms and ~20 MB, which processes that never count
    // tokens (the gateway imports @kraken/chat for its trigger helpers) should not pay.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { resolveEncoding } = require('gpt-tokenizer/cjs/resolveEncoding') as typeof import('gpt-tokenizer/cjs/resolveEncoding');
    encoder = GptEncoding.getEncodingApi(name, resolveEncoding);
    encoders.set(name, encoder);
  }
  return encoder;
}

/** Tokens of `text` for `model`, counted with gpt-tokenizer (see encoderFor for unknown models). */
export function countTokens(text: string, model: string): number {
  return encoderFor(model).encode(text).length;
}

/**
 * Cuts `text` to at most `maxTokens` tokens of `model`, appending `…` when cut (the ellipsis is
 * included in the limit). Cuts on a token boundary, so a result never exceeds the limit.
 */
export function truncateToTokens(text: string, model: string, maxTokens: number): string {
  const encoder = encoderFor(model);
  const tokens = encoder.encode(text);
  if (tokens.length <= maxTokens) return text;
  const ellipsis = '…';
  const room = Math.max(0, maxTokens - encoder.encode(ellipsis).length);
  let cut = encoder.decode(tokens.slice(0, room));
  // Decoding a prefix may end inside a multi-token character (shown as U+FFFD); drop it.
  cut = cut.replace(/\uFFFD+$/u, '');
  while (cut && encoder.encode(cut + ellipsis).length > maxTokens) cut = cut.slice(0, -1);
  return cut + ellipsis;
}

/**
 * Tokens OpenAI's chat format adds per message (role and separators), per OpenAI's cookbook
 * "How to count tokens with tiktoken": 3 per message plus 3 priming the reply.
 */
export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PER_REPLY = 3;

/** Prompt tokens of a chat-completions request: content tokens plus the chat format's overhead. */
export function countMessagesTokens(messages: readonly LlmMessage[], model: string): number {
  return messages.reduce((sum, m) => sum + TOKENS_PER_MESSAGE + countTokens(m.content, model), TOKENS_PER_REPLY);
}
