/** Telegram's longest message text, 4,096 characters after entity parsing (https://core.telegram.org/bots/api#sendmessage). */
export const TELEGRAM_TEXT_LIMIT = 4096;

/**
 * Packs blocks of Telegram HTML (each self-contained: every tag closed inside its line) into as few
 * messages as possible, blocks separated by a blank line, each message at most `limit` characters.
 * Lengths are measured on the HTML source in UTF-16 code units, which is never less than what
 * Telegram counts after parsing, so no part can exceed the limit. A block longer than `limit` is
 * split between lines; a single line longer than `limit` is cut (never happens with digest lines).
 */
export function packParts(blocks: readonly string[], limit = TELEGRAM_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let current = '';
  const push = (piece: string, separator: string) => {
    if (current && current.length + separator.length + piece.length <= limit) {
      current += separator + piece;
      return;
    }
    if (current) parts.push(current);
    current = piece;
  };
  for (const block of blocks.filter((b) => b.trim() !== '')) {
    if (block.length <= limit) {
      push(block, '\n\n');
      continue;
    }
    block.split('\n').forEach((line, i) => push(line.slice(0, limit), i === 0 ? '\n\n' : '\n'));
  }
  if (current) parts.push(current);
  return parts;
}
