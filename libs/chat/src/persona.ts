import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { BotLanguage } from './chat-texts';

/**
 * The persona (system prompt) file: PERSONA_PATH when set (absolute, or relative to `root`), else
 * `prompts/persona.<language>.md` under `root`.
 * @throws Error naming the path when the file cannot be read or is empty
 */
export function loadPersona(language: BotLanguage, root: string, path?: string): string {
  const file = path ? (isAbsolute(path) ? path : join(root, path)) : join(root, 'prompts', `persona.${language}.md`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new Error(`persona file ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!text) throw new Error(`persona file ${file} is empty`);
  return text;
}
