import { Parser } from 'htmlparser2';
import { cleanText, type DocumentBlock, type ParsedDocument } from '../document-blocks';

/** Elements that end a text block. */
const BLOCK_TAGS = new Set(['p', 'div', 'li', 'tr', 'table', 'ul', 'ol', 'blockquote', 'pre', 'section', 'article', 'br', 'dd', 'dt', 'hr', 'header', 'footer', 'main', 'aside', 'nav', 'figure', 'figcaption', 'body']);
/** Elements whose content is not document text. */
const SKIPPED_TAGS = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head']);

/**
 * HTML → blocks with htmlparser2 (a tolerant streaming parser: broken markup never throws): `h1`-`h6`
 * become headings, block elements (p, li, tr, div …) end text blocks, table cells are separated by
 * ` | `, script/style are dropped, entities decoded. `<title>` is the document's title.
 */
export function parseHtml(source: string): ParsedDocument {
  const blocks: DocumentBlock[] = [];
  let buffer = '';
  let headingLevel: number | null = null;
  let skipping = 0;
  let inTitle = false;
  let title = '';
  const flush = () => {
    const text = cleanText(buffer);
    buffer = '';
    if (!text) return;
    if (headingLevel !== null) blocks.push({ kind: 'heading', level: headingLevel, text: text.replace(/\s+/g, ' ') });
    else blocks.push({ kind: 'text', text });
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'title') inTitle = true;
        if (SKIPPED_TAGS.has(name)) skipping++;
        if (/^h[1-6]$/.test(name)) {
          flush();
          headingLevel = Number(name[1]);
        } else if (BLOCK_TAGS.has(name)) flush();
        if (name === 'td' || name === 'th') buffer += buffer && !buffer.endsWith('\n') ? ' | ' : '';
      },
      ontext(text) {
        if (inTitle) title += text;
        else if (skipping === 0) buffer += text;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (SKIPPED_TAGS.has(name)) skipping = Math.max(0, skipping - 1);
        if (/^h[1-6]$/.test(name)) {
          flush();
          headingLevel = null;
        } else if (BLOCK_TAGS.has(name)) flush();
      },
    },
    { decodeEntities: true },
  );
  parser.write(source);
  parser.end();
  flush();
  const cleanTitle = cleanText(title).replace(/\s+/g, ' ');
  return { format: 'html', blocks, ...(cleanTitle ? { title: cleanTitle } : {}) };
}
