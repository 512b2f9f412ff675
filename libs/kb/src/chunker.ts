import { countTokens } from '@kraken/llm';
import type { DocumentBlock } from './document-blocks';

/** One searchable section of a document. */
export interface DocumentChunk {
  /** 1-based position in the document: the "§n" of citations. */
  ordinal: number;
  /** Heading path of the section, `Rules › Spam` ('' before the first heading). */
  heading: string;
  content: string;
  /** Tokens of `content` (gpt-tokenizer, see @kraken/llm countTokens). */
  tokens: number;
}

/** Options of chunkBlocks. */
export interface ChunkOptions {
  /** Most tokens of a chunk's content (KB_CHUNK_TOKENS); a longer paragraph is split on sentences, then words. */
  maxTokens: number;
  /** Model the tokens are counted for. */
  model: string;
}

const HEADING_SEPARATOR = ' › ';

/**
 * Cuts a document into sections: every heading starts a new one (its path of enclosing headings is
 * the section's heading); paragraphs are packed into a section until the next would pass `maxTokens`,
 * then a new section with the same heading begins. A paragraph longer than `maxTokens` is split on
 * sentence ends, and a sentence longer than that on words, so no chunk exceeds the limit (a single
 * word longer than the limit is cut by characters). Headings without text produce no section.
 */
export function chunkBlocks(blocks: readonly DocumentBlock[], options: ChunkOptions): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  const path: Array<{ level: number; text: string }> = [];
  let parts: string[] = [];
  let used = 0;
  const count = (text: string) => countTokens(text, options.model);
  const flush = () => {
    if (parts.length === 0) return;
    const content = parts.join('\n\n');
    chunks.push({ ordinal: chunks.length + 1, heading: path.map((h) => h.text).join(HEADING_SEPARATOR), content, tokens: count(content) });
    parts = [];
    used = 0;
  };
  const add = (piece: string) => {
    const tokens = count(piece);
    if (parts.length && used + 1 + tokens > options.maxTokens) flush();
    used += tokens + (parts.length ? 1 : 0);
    parts.push(piece);
  };
  for (const block of blocks) {
    if (block.kind === 'heading') {
      flush();
      while (path.length && path[path.length - 1].level >= block.level) path.pop();
      path.push({ level: block.level, text: block.text });
      continue;
    }
    for (const piece of splitToFit(block.text, options.maxTokens, count)) add(piece);
  }
  flush();
  return chunks;
}

/** `text` as pieces of at most `maxTokens`: whole, else by sentences, else by words, else by characters. */
function splitToFit(text: string, maxTokens: number, count: (text: string) => number): string[] {
  if (count(text) <= maxTokens) return [text];
  const sentences = text.split(/(?<=[.!?…])\s+|\n+/u).filter(Boolean);
  if (sentences.length > 1) return pack(sentences, ' ', maxTokens, count, (s) => splitToFit(s, maxTokens, count));
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length > 1) return pack(words, ' ', maxTokens, count, (w) => splitToFit(w, maxTokens, count));
  // One enormous "word" (a URL, base64): cut by characters.
  const out: string[] = [];
  let rest = text;
  while (rest) {
    let size = Math.min(rest.length, maxTokens * 2);
    while (size > 1 && count(rest.slice(0, size)) > maxTokens) size = Math.floor(size / 2);
    out.push(rest.slice(0, size));
    rest = rest.slice(size);
  }
  return out;
}

function pack(pieces: string[], separator: string, maxTokens: number, count: (text: string) => number, split: (piece: string) => string[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const piece of pieces) {
    const candidate = current ? `${current}${separator}${piece}` : piece;
    if (count(candidate) <= maxTokens) {
      current = candidate;
      continue;
    }
    if (current) out.push(current);
    current = '';
    if (count(piece) <= maxTokens) current = piece;
    else out.push(...split(piece));
  }
  if (current) out.push(current);
  return out;
}
