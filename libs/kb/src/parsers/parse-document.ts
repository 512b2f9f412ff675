import { extname } from 'node:path';
import { KbInputError, paragraphsOf, type KbFormat, type ParsedDocument } from '../document-blocks';
import { parseHtml } from './html.parser';
import { parseMarkdown } from './markdown.parser';

/** Largest file Kraken indexes, in bytes: 20 MB, the Bot API's getFile download limit (https://core.telegram.org/bots/api#getfile). */
export const KB_MAX_FILE_BYTES = 20 * 1024 * 1024;

const BY_EXTENSION: Record<string, KbFormat> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'txt',
  '.text': 'txt',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
  '.docx': 'docx',
};

const BY_MIME: Record<string, KbFormat> = {
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/plain': 'txt',
  'text/html': 'html',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

/**
 * The format of a file from its name's extension, else its MIME type (as Telegram reports it).
 * @throws KbInputError `unsupported` for anything else (e.g. `.doc`, images)
 */
export function formatOf(fileName: string, mimeType?: string): KbFormat {
  const format = BY_EXTENSION[extname(fileName).toLowerCase()] ?? (mimeType ? BY_MIME[mimeType.toLowerCase()] : undefined);
  if (!format) throw new KbInputError('unsupported', `unsupported file type "${extname(fileName) || mimeType || fileName}": use Markdown, TXT, HTML, PDF or DOCX`);
  return format;
}

/**
 * Parses a file for the knowledge base.
 * @param data the file's bytes
 * @param fileName its name (the extension picks the parser; `mimeType` is the fallback)
 * @throws KbInputError for an empty file, one over `maxBytes` (default KB_MAX_FILE_BYTES), an
 *   unsupported type, an unreadable file, or one without any text (image-only PDF, empty HTML)
 */
export async function parseDocument(data: Buffer, fileName: string, options: { mimeType?: string; maxBytes?: number } = {}): Promise<ParsedDocument> {
  const maxBytes = options.maxBytes ?? KB_MAX_FILE_BYTES;
  if (data.length === 0) throw new KbInputError('empty', 'the file is empty');
  if (data.length > maxBytes) throw new KbInputError('too-large', `the file is ${(data.length / 1048576).toFixed(1)} MB; the limit is ${(maxBytes / 1048576).toFixed(0)} MB`);
  const format = formatOf(fileName, options.mimeType);
  let parsed: ParsedDocument;
  switch (format) {
    // pdf.js and mammoth are large: loaded on first use only.
    case 'pdf':
      parsed = await (await import('./pdf.parser')).parsePdf(data);
      break;
    case 'docx':
      parsed = await (await import('./docx.parser')).parseDocx(data);
      break;
    case 'html':
      parsed = parseHtml(data.toString('utf8'));
      break;
    case 'markdown':
      parsed = parseMarkdown(data.toString('utf8'));
      break;
    case 'txt':
      parsed = { format: 'txt', blocks: paragraphsOf(data.toString('utf8')) };
      break;
  }
  if (!parsed.blocks.some((b) => b.kind === 'text' || b.text.length > 0)) throw new KbInputError('no-text', 'the file contains no text');
  return parsed;
}
