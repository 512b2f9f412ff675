/**
 * A question reduced to what decides its answer, for the completion cache key: the bot's name at the
 * start removed (`names`: see botNamePattern), lower-cased, `ё` → `е`, punctuation and symbols
 * dropped, whitespace collapsed. "Кракен, когда встреча?" and "кракен когда встреча" are equal.
 */
export function normalizeQuestion(text: string, names: RegExp): string {
  return text
    .replace(names, '')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
