import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BotLanguage } from '@kraken/chat';

/** The assistant's modes: system-prompt presets in `prompts/modes/<mode>.<language>.md`. */
export const ASSISTANT_MODES = ['assistant', 'translator', 'editor', 'programmer', 'summariser', 'teacher'] as const;
export type AssistantMode = (typeof ASSISTANT_MODES)[number];

/** The mode of a new session, and the one a stored name that is no longer a mode falls back to. */
export const DEFAULT_MODE: AssistantMode = 'assistant';

/** Whether `name` is one of ASSISTANT_MODES. */
export function isAssistantMode(name: string): name is AssistantMode {
  return (ASSISTANT_MODES as readonly string[]).includes(name);
}

/**
 * The mode presets, read once from `<root>/prompts/modes/<mode>.<ru|en>.md` (every mode in both
 * languages). @throws Error naming the file when one is missing or empty (at start-up, not per message)
 */
export class ModePrompts {
  private readonly prompts = new Map<string, string>();

  constructor(root: string = process.cwd()) {
    for (const mode of ASSISTANT_MODES) {
      for (const language of ['ru', 'en'] as const) {
        const file = join(root, 'prompts', 'modes', `${mode}.${language}.md`);
        const text = readFileSync(file, 'utf8').trim();
        if (!text) throw new Error(`mode prompt ${file} is empty`);
        this.prompts.set(`${mode}.${language}`, text);
      }
    }
  }

  /** The preset of `mode` (DEFAULT_MODE when it is not a mode) in `language`. */
  prompt(mode: string, language: BotLanguage): string {
    return this.prompts.get(`${isAssistantMode(mode) ? mode : DEFAULT_MODE}.${language}`)!;
  }
}
