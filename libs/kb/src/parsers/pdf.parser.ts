import { PDFParse } from 'pdf-parse';
import { KbInputError, paragraphsOf, type ParsedDocument } from '../document-blocks';

/**
 * PDF → paragraph blocks from its text layer (pdf-parse 2, pdf.js underneath). PDFs carry no
 * reliable heading structure, so the chunker splits on paragraphs only.
 * @throws KbInputError `no-text` for a PDF without a text layer (scanned pages, images only) and
 *   `unreadable` for a file pdf.js cannot open
 */
export async function parsePdf(data: Buffer): Promise<ParsedDocument> {
  const parser = new PDFParse({ data: new Uint8Array(data) });
  let text: string;
  try {
    text = (await parser.getText()).text;
  } catch (error) {
    throw new KbInputError('unreadable', `the PDF cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
  // pdf-parse marks page breaks with "-- n of m --" lines.
  const blocks = paragraphsOf(text.replace(/^\s*-- \d+ of \d+ --\s*$/gm, '\n'));
  if (blocks.length === 0) throw new KbInputError('no-text', 'the PDF has no text layer (scanned or image-only pages); add a PDF with selectable text');
  return { format: 'pdf', blocks };
}
