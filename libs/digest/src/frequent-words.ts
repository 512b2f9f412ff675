import STOPWORDS from 'stopwords-iso/stopwords-iso.json';

/** A word and how many of the texts use it. */
export interface WordCount {
  word: string;
  count: number;
}

/** Russian and English stop words (stopwords-iso), plus Telegram chatter that says nothing about a topic. */
const STOP = new Set<string>([...STOPWORDS.ru, ...STOPWORDS.en, 'http', 'https', 'www', 'com', 'ru']);

/**
 * The most frequent words of `texts`: words found by Intl.Segmenter (word granularity, so Cyrillic,
 * Latin and other scripts split correctly), lower-cased, `ё` read as `е`, at least `minLength` letters,
 * without stop words (stopwords-iso, Russian and English) and without numbers or links; each text
 * counts a word once. Ties by the word, alphabetically.
 * @returns at most `limit` words, most frequent first
 */
export function frequentWords(texts: Iterable<string>, limit: number, minLength = 4): WordCount[] {
  const segmenter = new Intl.Segmenter('ru', { granularity: 'word' });
  const counts = new Map<string, number>();
  for (const text of texts) {
    const seen = new Set<string>();
    const withoutLinks = text.replace(/\bhttps?:\/\/\S+/gi, ' ');
    for (const { segment, isWordLike } of segmenter.segment(withoutLinks)) {
      if (!isWordLike) continue;
      const word = segment.toLowerCase().replace(/ё/g, 'е');
      if (word.length < minLength || !/^\p{L}[\p{L}\p{M}'’-]*$/u.test(word) || STOP.has(word) || seen.has(word)) continue;
      seen.add(word);
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return [...counts.entries()]
    .map(([word, count]) => ({ word, count }))
    .sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
    .slice(0, limit);
}
