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
 * never contains text the input did not (decoding a token prefix can yield U+FFFD, even in the middle).
 *
 * The decoded token prefix only estimates where to cut; the longest fitting prefix of the original is
 * then found by counting prefixes around it (galloping, then binary search): a few counts of prefixes
 * about as long as the result.
 */
export function truncateToTokens(text: string, model: string, maxTokens: number): string {
  const encoder = encoderFor(model);
  const tokens = encoder.encode(text, PLAIN_TEXT);
  if (tokens.length <= maxTokens) return text;
  const room = maxTokens - countTokens(ELLIPSIS, model);
  if (room < 0) return '';
  const fits = (end: number) => countTokens(text.slice(0, end) + ELLIPSIS, model) <= maxTokens;
  const guess = Math.min(text.length - 1, encoder.decode(tokens.slice(0, room)).replace(/\uFFFD/g, '').length);
  // Invariant: the first `lo` characters fit (0 always does: the ellipsis alone); the first `hi` do not, or hi = text.length.
  let lo = 0;
  let hi = text.length;
  let step = 1;
  if (fits(guess)) {
    lo = guess;
    while (lo + step < text.length && fits(lo + step)) {
      lo += step;
      step *= 2;
    }
    hi = Math.min(lo + step, text.length);
  } else {
    hi = guess;
    while (hi - step > 0 && !fits(hi - step)) {
      hi -= step;
      step *= 2;
    }
    lo = Math.max(0, hi - step);
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  // Back to the start of the grapheme `lo` falls in (a shorter prefix; checked again to be exact).
  const segments = graphemes.segment(text);
  let end = segments.containing(lo)?.index ?? lo;
  while (end > 0 && !fits(end)) end = segments.containing(end - 1)?.index ?? 0;
  return text.slice(0, end) + ELLIPSIS;
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
