import type MarkdownIt from 'markdown-it';

type StateCore = MarkdownIt.StateCore;
type Token = MarkdownIt.Token;

/** Column alignment of a GFM table (`:---`, `---:`, `:---:`). */
export type ColumnAlign = 'left' | 'right' | 'center';

/** Token type markdown-it emits for a table turned into monospaced text (rendered as `<pre>`). */
export const TABLE_TEXT_TOKEN = 'table_text';

/** Display width of a cell: code points (Telegram's monospace font gives Latin and Cyrillic one cell each). */
const width = (text: string) => [...text].length;

function pad(text: string, size: number, align: ColumnAlign): string {
  const gap = size - width(text);
  if (align === 'right') return ' '.repeat(gap) + text;
  if (align === 'center') return ' '.repeat(Math.floor(gap / 2)) + text + ' '.repeat(Math.ceil(gap / 2));
  return text + ' '.repeat(gap);
}

/**
 * Lays out a table as monospaced text: cells padded to their column's widest cell, columns joined by
 * ` | `, the header (first row) underlined with `-` and `-+-`; trailing spaces trimmed.
 * `rows[0]` is the header; short rows are padded with empty cells.
 */
export function tableAsText(rows: string[][], aligns: ColumnAlign[] = []): string {
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(1, ...rows.map((r) => width(r[c] ?? ''))));
  const line = (row: string[]) => widths.map((w, c) => pad(row[c] ?? '', w, aligns[c] ?? 'left')).join(' | ').trimEnd();
  const [header, ...body] = rows;
  return [line(header ?? []), widths.map((w) => '-'.repeat(w)).join('-+-'), ...body.map(line)].join('\n');
}

/** The plain text of an inline token (formatting markers dropped, line breaks as spaces). */
function inlineText(token: Token): string {
  return (token.children ?? [])
    .map((child) => (child.type === 'softbreak' || child.type === 'hardbreak' ? ' ' : child.content))
    .join('')
    .trim();
}

function alignOf(token: Token): ColumnAlign {
  const style = String(token.attrGet('style') ?? '');
  return style.includes('right') ? 'right' : style.includes('center') ? 'center' : 'left';
}

/** Core rule: replaces every table_open … table_close run with one TABLE_TEXT_TOKEN holding tableAsText. */
function collapseTables(state: StateCore): void {
  const out: Token[] = [];
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].type !== 'table_open') {
      out.push(tokens[i]);
      continue;
    }
    const rows: string[][] = [];
    const aligns: ColumnAlign[] = [];
    let j = i + 1;
    for (; j < tokens.length && tokens[j].type !== 'table_close'; j++) {
      const token = tokens[j];
      if (token.type === 'tr_open') rows.push([]);
      else if (token.type === 'th_open') aligns.push(alignOf(token));
      else if (token.type === 'inline') rows.at(-1)?.push(inlineText(token));
    }
    const table = new state.Token(TABLE_TEXT_TOKEN, 'pre', 0);
    table.block = true;
    table.content = tableAsText(rows, aligns);
    table.map = tokens[i].map;
    out.push(table);
    i = j;
  }
  state.tokens = out;
}

/**
 * markdown-it plugin: GFM tables become one TABLE_TEXT_TOKEN each (see tableAsText), for renderers
 * without table markup such as Telegram's HTML subset, which has `<pre>` but no `<table>`
 * (https://core.telegram.org/bots/api#html-style).
 */
export const monospaceTables = (md: MarkdownIt.MarkdownIt): void => {
  md.core.ruler.push('monospace_tables', collapseTables);
};

/** A GFM delimiter row (`| :--- | ---: |`): the second line of a Markdown table. */
export const TABLE_DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** True when a Markdown block (no blank lines) is a table: a row with `|`, then a delimiter row. */
export function isMarkdownTable(block: string): boolean {
  const [head, delimiter] = block.split('\n');
  return head !== undefined && delimiter !== undefined && head.includes('|') && delimiter.includes('-') && TABLE_DELIMITER_ROW.test(delimiter);
}
