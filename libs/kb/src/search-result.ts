import type { KbHit } from './kb-types';

/**
 * One search result as `kraken kb search --json` prints it and `GET /admin/kb/search` returns it:
 * `document` is the title, `section` the section number (the "§n" of a citation), `chunk` the
 * section's text, `score` the full-text score (0-1, three decimals) and, when vectors are enabled and
 * the section was a vector hit, `similarity` (cosine, three decimals).
 */
export interface KbSearchResult {
  document: string;
  section: number;
  chunk: string;
  score: number;
  similarity?: number;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** A KbHit as a KbSearchResult. */
export function searchResultOf(hit: KbHit): KbSearchResult {
  return { document: hit.title, section: hit.ordinal, chunk: hit.content, score: round(hit.score), ...(hit.similarity !== undefined ? { similarity: round(hit.similarity) } : {}) };
}
