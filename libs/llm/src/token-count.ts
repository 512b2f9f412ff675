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

/**
 * Encode options that read special tokens (`<|endoftext|>`, `<|im_start|>` …) as the ordinary text
 * they are: gpt-tokenizer throws on them by default ("Disallowed special token found"), and every text
 * Kraken counts is user data. An empty `disallowedSpecial` with no `allowedSpecial` is the library's
 * way to say "no special tokens at all" (like tiktoken's `disallowed_special=()`).
 */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };
/** What truncateToTokens appends to a cut text. */
const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Tokens of `text` for `model`, counted with gpt-tokenizer as plain text (special tokens count as the
 * characters they are made of; see encoderFor for unknown models). Never throws on user text.
 */
export function countTokens(text: string, model: string): number {
  return encoderFor(model).countTokens(text, PLAIN_TEXT);
}

/**
 * Cuts `text` to at most `maxTokens` tokens of `model` (counted as countTokens does), appending `…`
 * when cut (the ellipsis is included in the limit; a limit below its one token gives `''`). The cut is
 * made in the original text on a grapheme boundary (Intl.Segmenter), so it never splits a surrogate
 * pair, an emoji sequence (ZWJ families, flags, skin tones) or a letter with its combining marks, and
 * never contains text the input did not (decoding a token prefix would yield U+FFFD). The longest
 * such prefix is found by binary search over grapheme boundaries: about log2(graphemes) counts.
 */
export function truncateToTokens(text: string, model: string, maxTokens: number): string {
  if (countTokens(text, model) <= maxTokens) return text;
  if (countTokens(ELLIPSIS, model) > maxTokens) return '';
  const ends = Array.from(graphemes.segment(text), (s) => s.index + s.segment.length);
  const fits = (n: number) => countTokens(text.slice(0, ends[n - 1] ?? 0) + ELLIPSIS, model) <= maxTokens;
  // Largest n (graphemes kept) that fits; n = 0 (the ellipsis alone) always does.
  let lo = 0;
  let hi = ends.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, ends[lo - 1] ?? 0) + ELLIPSIS;
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
