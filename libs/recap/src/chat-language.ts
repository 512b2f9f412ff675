/** Languages recaps are written in (the bot's own texts exist in these). */
export type RecapLanguage = 'ru' | 'en';

/**
 * The chat's language from its texts: Russian when Cyrillic letters outnumber Latin ones, English when
 * Latin ones do, `fallback` (BOT_LANGUAGE) when there are no letters.
 */
export function chatLanguage(texts: Iterable<string>, fallback: RecapLanguage): RecapLanguage {
  let cyrillic = 0;
  let latin = 0;
  for (const text of texts) {
    cyrillic += text.match(/\p{Script=Cyrillic}/gu)?.length ?? 0;
    latin += text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  }
  if (cyrillic === 0 && latin === 0) return fallback;
  return cyrillic >= latin ? 'ru' : 'en';
}
