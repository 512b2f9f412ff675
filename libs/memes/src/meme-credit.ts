import type { BotLanguage } from '@kraken/chat';
import type { MemeCreditMode } from '@kraken/config';
import type { MemeRecord } from './meme-record';
import { MEME_TEXTS } from './meme-texts';

/**
 * Caption (Telegram HTML) crediting a meme's author on its channel post, per MEME_CREDIT: `name` the
 * display name, `username` the @username (the name when there is none), `none` no caption (empty).
 */
export function memeCredit(meme: Pick<MemeRecord, 'authorName' | 'authorUsername'>, mode: MemeCreditMode, language: BotLanguage): string {
  if (mode === 'none') return '';
  const who = mode === 'username' && meme.authorUsername ? `@${meme.authorUsername}` : meme.authorName;
  return MEME_TEXTS[language].credit(who);
}
