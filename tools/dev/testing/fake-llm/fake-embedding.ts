/** Dimensions of the fake `/embeddings` vectors. */
export const FAKE_EMBEDDING_DIMENSIONS = 64;

/**
 * A deterministic stand-in for an embeddings model: each lower-cased word (letters and digits) adds 1
 * to one of FAKE_EMBEDDING_DIMENSIONS dimensions picked by a hash of the word; the vector is
 * L2-normalized. Texts sharing words are close; no semantics.
 */
export function fakeEmbedding(text: string): number[] {
  const vector = new Array<number>(FAKE_EMBEDDING_DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\d]+/gu) ?? []) {
    let hash = 2166136261;
    for (const char of word) hash = Math.imul(hash ^ char.codePointAt(0)!, 16777619) >>> 0;
    vector[hash % FAKE_EMBEDDING_DIMENSIONS] += 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => v / norm);
}
