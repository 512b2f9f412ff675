import mammoth from 'mammoth';
import { KbInputError, type ParsedDocument } from '../document-blocks';
import { parseHtml } from './html.parser';

/**
 * DOCX → blocks: mammoth converts the document to semantic HTML (Word's heading styles become
 * `h1`-`h6`, lists `li`, tables `tr`/`td`), which parseHtml reads.
 * @throws KbInputError `unreadable` for a file mammoth cannot open (not a DOCX zip)
 */
export async function parseDocx(data: Buffer): Promise<ParsedDocument> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: data })).value;
  } catch (error) {
    throw new KbInputError('unreadable', `the DOCX file cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = parseHtml(html);
  return { format: 'docx', blocks: parsed.blocks };
}
