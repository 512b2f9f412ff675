/**
 * A document as every parser returns it: headings (level 1-6) and text blocks (paragraphs, list
 * items, table rows, code) in reading order. The chunker cuts it into searchable sections.
 */
export type DocumentBlock = { kind: 'heading'; level: number; text: string } | { kind: 'text'; text: string };

/** Formats a knowledge-base document can be added from. */
export const KB_FORMATS = ['markdown', 'txt', 'html', 'pdf', 'docx'] as const;
export type KbFormat = (typeof KB_FORMATS)[number];

/** A parsed document: its blocks and, when the file carries one, its own title (HTML `<title>`, first `#`). */
export interface ParsedDocument {
  format: KbFormat;
  blocks: DocumentBlock[];
  title?: string;
}

/**
 * Input Kraken refuses to index, with a message meant for the admin who added it (an empty file, a
 * file over the size limit, an image-only PDF, an unknown format). `code` lets callers pick a
 * translated text.
 */
export class KbInputError extends Error {
  override name = 'KbInputError';
  constructor(
    readonly code: 'empty' | 'too-large' | 'no-text' | 'unsupported' | 'unreadable',
    message: string,
  ) {
    super(message);
  }
}

/** Collapses runs of spaces and tabs, trims lines, drops empty ones at both ends. */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\u0000/g, '')
    .replace(/[\t\u00a0 ]+/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Plain text → text blocks, one per paragraph (blank-line separated). */
export function paragraphsOf(text: string): DocumentBlock[] {
  return cleanText(text)
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => ({ kind: 'text' as const, text: p }));
}
