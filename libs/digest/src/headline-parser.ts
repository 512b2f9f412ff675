import emojiRegex from 'emoji-regex';

/** Headlines a digest carries ("10 подробных заголовков" of the prompt). */
export const HEADLINE_COUNT = 10;

const FENCE = /^(```|~~~)/;
/** A line that only opens or closes a Python/JSON list: `headlines = [`, `[`, `]`, `)`, `],` … */
const LIST_WRAPPER = /^(?:[A-Za-z_][\w.]*\s*=\s*)?[[\](){}]*[,;]?$/;
/** Leading list numbering or bullets: `1.`, `1)`, `(1)`, `1:`, `1 -`, `-`, `*`, `•`, `–`, `—`. */
const NUMBERING = /^(?:\(?\d{1,2}\s*[.):\]]|\d{1,2}\s+[-–—]|[-*•–—·])\s*/u;
/** A quoted string literal, with optional Python prefixes (r, u, b, f) and triple quotes. */
const QUOTED = /^[rRuUbBfF]{0,2}("""|'''|"|'|`)([\s\S]*)\1$/;
/** Quotes and brackets that may open a headline's text before its first letter. */
const OPENERS = /^[«"„“”'‘’(\[*_~]+/u;

/**
 * Cleans one line of an LLM answer down to a candidate headline: drops list numbering, bullets, Python
 * or JSON string quoting (with `\"`-style escapes), trailing commas and list brackets.
 */
function cleanLine(raw: string): string {
  let line = raw.trim();
  for (let pass = 0; pass < 3; pass++) {
    const before = line;
    line = line.replace(/^\[\s*(?=["'`rRuUbBfF])/, '').replace(/(?<=["'`])\s*\]\s*[,;]?$/, '');
    line = line.replace(/[,;]+$/, '').trim();
    line = line.replace(NUMBERING, '').trim();
    const quoted = QUOTED.exec(line);
    if (quoted) line = quoted[2].replace(/\\(["'\\])/g, '$1').replace(/\\n/g, ' ').trim();
    if (line === before) break;
  }
  return line.replace(/^&gt;/, '>');
}

/**
 * Normalises a candidate into `> <emoji> <text>` when it is a headline: `>` (possibly doubled),
 * then one or more emoji (https://unicode.org/reports/tr51/, matched by emoji-regex), then text whose
 * first letter, after opening quotes or brackets, is a letter; an upper-case first letter is lowered,
 * as the prompt asks for a lowercase start. Null otherwise.
 */
function normalizeHeadline(candidate: string): string | null {
  const match = /^>+\s*/.exec(candidate);
  if (!match) return null;
  let rest = candidate.slice(match[0].length);
  let emoji = '';
  for (;;) {
    const found = emojiRegex().exec(rest);
    if (!found || found.index !== 0) break;
    emoji += found[0];
    rest = rest.slice(found[0].length).replace(/^[\s\uFE0F]+/u, '');
  }
  if (!emoji) return null;
  const opener = OPENERS.exec(rest)?.[0] ?? '';
  const body = rest.slice(opener.length);
  const first = body.codePointAt(0);
  if (first === undefined) return null;
  const letter = String.fromCodePoint(first);
  if (!/\p{L}/u.test(letter)) return null;
  const text = `${opener}${letter.toLowerCase()}${body.slice(letter.length)}`.replace(/\s+/g, ' ').trim();
  return `> ${emoji} ${text}`;
}

/** The lines of an answer: the items when it is a JSON array of strings, else its text lines. */
function answerLines(answer: string): string[] {
  const unfenced = answer
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((line) => !FENCE.test(line.trim()))
    .join('\n')
    .trim();
  if (unfenced.startsWith('[')) {
    try {
      const items: unknown = JSON.parse(unfenced.replace(/,\s*\]$/, ']'));
      if (Array.isArray(items) && items.every((item) => typeof item === 'string')) return items as string[];
    } catch {
      // not JSON (e.g. a Python list with single quotes): read it line by line
    }
  }
  return unfenced.split('\n');
}

/**
 * Parses the LLM's answer to the digest prompt into exactly HEADLINE_COUNT headlines of the form
 * `> <emoji> <text starting with a lowercase letter>`. Tolerates code fences, Python or JSON list
 * syntax (brackets, quotes, escapes, trailing commas), numbering and bullets, `&gt;` for `>`, and
 * other lines (an introduction, a closing remark), which are skipped. With more than
 * HEADLINE_COUNT headlines the first ones are kept.
 * @returns the headlines, or null when fewer than HEADLINE_COUNT were found (the caller retries once,
 *   then falls back to headlines built from the numbers)
 */
export function parseHeadlines(answer: string): string[] | null {
  const headlines: string[] = [];
  for (const raw of answerLines(answer)) {
    const line = raw.trim();
    if (!line || LIST_WRAPPER.test(line)) continue;
    const headline = normalizeHeadline(cleanLine(line));
    if (headline) headlines.push(headline);
  }
  return headlines.length >= HEADLINE_COUNT ? headlines.slice(0, HEADLINE_COUNT) : null;
}
