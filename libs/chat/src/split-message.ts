import { isMarkdownTable } from './markdown-table';
import { markdownToTelegramHtml, telegramHtmlToText, type AllowedMentions } from './telegram-html';

/** Telegram's longest message text: 4,096 characters after entity parsing (https://core.telegram.org/bots/api#sendmessage). */
export const TELEGRAM_MESSAGE_LIMIT = 4096;

/** One message of an answer: Telegram HTML and the same text without formatting (for the plain-text resend). */
export interface MessagePart {
  html: string;
  plain: string;
}

const FENCE = /^(```|~~~)/;

/**
 * Splits Markdown into blocks separated by blank lines, keeping fenced code blocks whole.
 */
function blocks(markdown: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const marker = FENCE.exec(line.trim())?.[1];
    if (fence) {
      current.push(line);
      if (marker === fence) fence = null;
      continue;
    }
    if (marker) {
      fence = marker;
      current.push(line);
    } else if (line.trim() === '') {
      if (current.length) out.push(current.join('\n'));
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length) out.push(current.join('\n'));
  return out;
}

/** The header and delimiter rows of a Markdown table block, which every piece of a split table repeats. */
const tableHead = (block: string) => block.split('\n').slice(0, 2).join('\n');

/** Whether a piece is a fenced code block or a table: its finer pieces are joined by lines, not spaces. */
const isLineBlock = (piece: string) => FENCE.test(piece.trim()) || isMarkdownTable(piece);

/**
 * Sentences (ending in . ! ? … followed by whitespace), then lines, then words, then characters.
 * A code block splits into lines each re-wrapped in its fence; a table into rows each under its header.
 */
function finerPieces(block: string): string[] {
  const fence = FENCE.exec(block.trim())?.[1];
  if (fence) {
    // A code block too long for one message: split its lines, each piece re-wrapped in the fence.
    const lines = block.split('\n');
    const open = lines[0];
    const inner = lines.slice(1, lines.at(-1)?.trim().startsWith(fence) ? -1 : undefined);
    return inner.map((line) => `${open}\n${line}\n${fence}`);
  }
  if (isMarkdownTable(block)) {
    const rows = block.split('\n').slice(2);
    if (rows.length > 1) return rows.map((row) => `${tableHead(block)}\n${row}`);
  }
  const sentences = block.split(/(?<=[.!?…])\s+/u);
  if (sentences.length > 1) return sentences;
  const lines = block.split('\n');
  if (lines.length > 1) return lines;
  const words = block.split(/(?<=\s)/u);
  if (words.length > 1) return words;
  return Array.from(block);
}

/**
 * Joins pieces greedily into chunks that `fits`; a piece that does not fit alone is split further.
 * Code-block pieces of one fence are merged back into one fenced block per chunk.
 */
function pack(pieces: string[], separator: string, fits: (text: string) => boolean): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const piece of pieces) {
    const candidate = current ? joinPieces(current, piece, separator) : piece;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current) chunks.push(current);
    current = '';
    if (fits(piece)) {
      current = piece;
      continue;
    }
    const finer = finerPieces(piece);
    if (finer.length <= 1) throw new Error('a single character does not fit into a Telegram message');
    const sub = pack(finer, isLineBlock(piece) ? '\n' : ' ', fits);
    chunks.push(...sub.slice(0, -1));
    current = sub.at(-1) ?? '';
  }
  if (current) chunks.push(current);
  return chunks;
}

/** Appends `piece`; two pieces of the same fenced code block, or of the same table, become one block. */
function joinPieces(current: string, piece: string, separator: string): string {
  const fence = FENCE.exec(piece.trim())?.[1];
  if (fence && current.endsWith(`\n${fence}`) && piece.startsWith(current.slice(0, current.indexOf('\n')))) {
    return `${current.slice(0, -fence.length - 1)}\n${piece.slice(piece.indexOf('\n') + 1)}`;
  }
  if (isMarkdownTable(piece) && isMarkdownTable(current) && tableHead(current) === tableHead(piece)) {
    return `${current}\n${piece.split('\n').slice(2).join('\n')}`;
  }
  return `${current}${separator}${piece}`;
}

/**
 * Turns an LLM answer (Markdown) into Telegram messages of at most `limit` characters, in order:
 * split on paragraph boundaries, then sentences, then lines/words when a paragraph alone is too
 * long (a long code block is split by lines, each part keeping its fence; a long table by rows, each
 * part keeping the header). A part fits when both its Telegram HTML and its plain text are within
 * `limit`, so either can be sent. Only `allowed` (the asker) may be mentioned; see markdownToTelegramHtml.
 * @throws Error for limits too small to hold a single formatted character
 */
export function splitAnswer(markdown: string, limit = TELEGRAM_MESSAGE_LIMIT, allowed: AllowedMentions = {}): MessagePart[] {
  const render = (text: string): MessagePart => {
    const html = markdownToTelegramHtml(text, allowed);
    return { html, plain: telegramHtmlToText(html) };
  };
  const fits = (text: string) => {
    const part = render(text);
    return part.html.length <= limit && part.plain.length > 0;
  };
  return pack(blocks(markdown), '\n\n', fits)
    .map(render)
    .filter((part) => part.plain.trim().length > 0);
}
