import { extname } from 'node:path';
import { cleanText, KbInputError, parseDocument } from '@kraken/kb';

/** Largest file the assistant reads, in bytes: 20 MB, the Bot API's getFile download limit (https://core.telegram.org/bots/api#getfile). */
export const ASSISTANT_MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Most data rows of a CSV the assistant reads; a longer table is refused (it cannot be answered from a summary). */
export const CSV_MAX_ROWS = 10_000;

/** Why a file is not read; each has a text in the user's language (AssistantFileTexts). */
export type DocumentRefusalCode = 'unsupported' | 'too-large' | 'empty' | 'no-text' | 'password' | 'unreadable' | 'too-many-rows' | 'too-long';

/** A refused file: `code` picks the user's message; `message` is for debug logs only. */
export class DocumentRefusal extends Error {
  override name = 'DocumentRefusal';
  constructor(
    readonly code: DocumentRefusalCode,
    message: string,
  ) {
    super(message);
  }
}

/** What the assistant does with a file: show it to a vision model, read its text, or refuse it. */
export type FileTreatment = 'image' | 'document' | 'unsupported';

const IMAGE_MIME = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);
const IMAGE_EXTENSIONS: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.gif': 'image/gif' };
const TEXT_EXTENSIONS = new Set(['.pdf', '.docx', '.txt', '.text', '.md', '.markdown', '.csv', '.json']);
const TEXT_MIME = new Set([
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'text/plain',
  'text/markdown',
  'text/x-markdown',
  'text/csv',
  'application/json',
]);

/**
 * How a file is treated, from its name's extension, else its MIME type (both as Telegram reported
 * them, untrusted). A photo is always an image. Images the models take: JPEG, PNG, WebP, GIF
 * (https://platform.openai.com/docs/guides/images-vision); documents: PDF, DOCX, TXT/MD, CSV, JSON.
 */
export function fileTreatment(kind: 'photo' | 'document', fileName?: string, mimeType?: string): FileTreatment {
  if (kind === 'photo') return 'image';
  const extension = extname(fileName ?? '').toLowerCase();
  const mime = (mimeType ?? '').toLowerCase();
  if (IMAGE_EXTENSIONS[extension] || (!extension && IMAGE_MIME.has(mime))) return 'image';
  if (TEXT_EXTENSIONS.has(extension) || (!extension && TEXT_MIME.has(mime))) return 'document';
  return 'unsupported';
}

/** The MIME type of an image for its data URL: the declared one when it is an image type, else from the extension, else JPEG (Telegram re-encodes photos as JPEG). */
export function imageMimeType(fileName?: string, mimeType?: string): string {
  const mime = (mimeType ?? '').toLowerCase();
  if (IMAGE_MIME.has(mime)) return mime;
  return IMAGE_EXTENSIONS[extname(fileName ?? '').toLowerCase()] ?? 'image/jpeg';
}

/**
 * The text of a document, for the assistant's prompt. PDF and DOCX go through @kraken/kb's parsers
 * (pdf-parse, mammoth); TXT/MD are read as UTF-8; a CSV is kept as its lines (at most CSV_MAX_ROWS
 * data rows); a JSON file must parse (it is then pretty-printed with two spaces).
 * @param data the file's bytes
 * @param fileName its name as Telegram sent it (the extension picks the reader, `mimeType` is the fallback)
 * @throws DocumentRefusal for an empty, over-large, unsupported, password-protected, unreadable or
 *   text-less file and a CSV over CSV_MAX_ROWS rows; never anything else for bad input
 */
export async function documentText(data: Buffer, fileName: string, mimeType?: string): Promise<string> {
  if (data.length === 0) throw new DocumentRefusal('empty', 'the file is empty');
  if (data.length > ASSISTANT_MAX_FILE_BYTES) throw new DocumentRefusal('too-large', `the file has ${data.length} bytes`);
  const extension = extname(fileName).toLowerCase();
  const mime = (mimeType ?? '').toLowerCase();
  if (extension === '.csv' || (!extension && mime === 'text/csv')) return csvText(data);
  if (extension === '.json' || (!extension && mime === 'application/json')) return jsonText(data);
  try {
    const parsed = await parseDocument(data, fileName, { mimeType, maxBytes: ASSISTANT_MAX_FILE_BYTES });
    return parsed.blocks
      .map((block) => (block.kind === 'heading' ? `${'#'.repeat(block.level)} ${block.text}` : block.text))
      .join('\n\n')
      .trim();
  } catch (error) {
    if (!(error instanceof KbInputError)) throw new DocumentRefusal('unreadable', error instanceof Error ? error.message : String(error));
    // pdf.js reports an encrypted PDF as PasswordException ("No password given"), wrapped by the parser.
    if (error.code === 'unreadable' && /password/i.test(error.message)) throw new DocumentRefusal('password', error.message);
    throw new DocumentRefusal(error.code, error.message);
  }
}

function csvText(data: Buffer): string {
  const text = cleanText(data.toString('utf8'));
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new DocumentRefusal('no-text', 'the CSV has no rows');
  if (lines.length - 1 > CSV_MAX_ROWS) throw new DocumentRefusal('too-many-rows', `the CSV has ${lines.length - 1} data rows`);
  return lines.join('\n');
}

function jsonText(data: Buffer): string {
  let value: unknown;
  try {
    value = JSON.parse(data.toString('utf8'));
  } catch (error) {
    throw new DocumentRefusal('unreadable', `the JSON does not parse: ${error instanceof Error ? error.message : String(error)}`);
  }
  const text = JSON.stringify(value, null, 2);
  if (!text || text === '{}' || text === '[]' || text === '""') throw new DocumentRefusal('no-text', 'the JSON is empty');
  return text;
}
