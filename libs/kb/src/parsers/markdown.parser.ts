import MarkdownIt from 'markdown-it';
import { cleanText, type DocumentBlock, type ParsedDocument } from '../document-blocks';

const md = new MarkdownIt({ html: false });

/**
 * Markdown → blocks with markdown-it's block tokens: `#` headings become headings, every other
 * top-level block (paragraph, list item, blockquote, table, code) a text block of its inline text.
 * The first level-1 heading is the document's title.
 */
export function parseMarkdown(source: string): ParsedDocument {
  const tokens = md.parse(source, {});
  const blocks: DocumentBlock[] = [];
  let heading: number | null = null;
  let parts: string[] = [];
  const flush = () => {
    const text = cleanText(parts.join('\n'));
    parts = [];
    if (text) blocks.push({ kind: 'text', text });
  };
  for (const token of tokens) {
    if (token.type === 'heading_open') {
      flush();
      heading = Number(token.tag.slice(1));
      continue;
    }
    if (token.type === 'heading_close') {
      heading = null;
      continue;
    }
    if (heading !== null && token.type === 'inline') {
      const text = cleanText(token.content);
      if (text) blocks.push({ kind: 'heading', level: heading, text });
      continue;
    }
    if (token.type === 'inline' || token.type === 'fence' || token.type === 'code_block') parts.push(token.content);
    // Items of a list are kept apart: each is a paragraph of its own.
    if (token.type === 'list_item_close' || (token.nesting === -1 && token.level === 0)) flush();
    if (token.nesting === 0 && token.level === 0 && token.type !== 'inline') flush();
  }
  flush();
  const title = blocks.find((b) => b.kind === 'heading' && b.level === 1)?.text;
  return { format: 'markdown', blocks, ...(title ? { title } : {}) };
}
