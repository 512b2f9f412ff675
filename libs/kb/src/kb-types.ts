/** A stored knowledge-base document, as listed by `/kb list` and `kraken kb`. */
export interface KbDocumentInfo {
  id: number;
  /** Chat the document answers in; null for every chat. */
  chatId: number | null;
  title: string;
  source: string;
  format: string;
  bytes: number;
  chunkCount: number;
  /** When this version was stored (re-adding a source replaces the row, so this is also when it was last replaced). */
  createdAt: Date;
  updatedAt: Date;
}

/** One search result: a section of a document with its scores. */
export interface KbHit {
  chunkId: number;
  documentId: number;
  /** Document title. */
  title: string;
  /** Section number in the document (the "§n" of a citation). */
  ordinal: number;
  heading: string;
  content: string;
  tokens: number;
  /**
   * Full-text score, 0-1: the share of the question's terms (weighted by rarity, IDF) found in the
   * section, a term in a heading counting fully and one in the text 0.4-1 by frequency.
   */
  score: number;
  /** Cosine similarity of the embeddings (only when vectors are enabled and the section was a vector hit). */
  similarity?: number;
  /** Reciprocal-rank-fusion value (only when vectors are enabled). */
  fused?: number;
}

/** What a document is stored with. */
export interface NewKbDocument {
  chatId: number | null;
  title: string;
  source: string;
  format: string;
  bytes: number;
  addedById?: number;
}
