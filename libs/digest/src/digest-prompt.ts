import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { BotLanguage } from '@kraken/chat';
import type { LlmMessage } from '@kraken/llm';
import { HEADLINE_COUNT } from './headline-parser';

/**
 * The headline prompt: DIGEST_PROMPT_PATH when set (absolute, or relative to `root`), else
 * `prompts/digest.<language>.md` under `root`; the whole file, trimmed, is the instruction.
 * @throws Error naming the path when the file cannot be read or is empty
 */
export function loadDigestPrompt(language: BotLanguage, root: string, path?: string): string {
  const file = path ? (isAbsolute(path) ? path : join(root, path)) : join(root, 'prompts', `digest.${language}.md`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new Error(`digest prompt ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!text) throw new Error(`digest prompt ${file} is empty`);
  return text;
}

/** The request: one user message, the month's material first, then the prompt that refers to it. */
export function digestMessages(prompt: string, material: string): LlmMessage[] {
  return [{ role: 'user', content: `${material}\n\n${prompt}` }];
}

const FIX_FORMAT: Record<BotLanguage, string> = {
  ru: `Ответ не в том формате. Нужно ровно ${HEADLINE_COUNT} строк, каждая — ">", затем эмодзи, затем заголовок со строчной буквы. Без нумерации, вступления и пояснений.`,
  en: `The answer is not in the expected format. Write exactly ${HEADLINE_COUNT} lines, each ">" then an emoji then a headline starting with a lowercase letter. No numbering, introduction or remarks.`,
};

/** The retry after an unreadable answer: the first request, that answer, and a request to fix the format. */
export function retryMessages(first: readonly LlmMessage[], answer: string, language: BotLanguage): LlmMessage[] {
  return [...first, { role: 'assistant', content: answer }, { role: 'user', content: FIX_FORMAT[language] }];
}
