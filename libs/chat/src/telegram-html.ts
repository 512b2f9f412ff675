import MarkdownIt from 'markdown-it';
import type Renderer from 'markdown-it/lib/renderer.mjs';
import type Token from 'markdown-it/lib/token.mjs';
import { monospaceTables, TABLE_TEXT_TOKEN } from './markdown-table';

/**
 * Markdown → the HTML subset Telegram accepts with `parse_mode: HTML`
 * (https://core.telegram.org/bots/api#html-style): b, i, s, code, pre (with `language-*`), a href,
 * blockquote. Parsing is markdown-it's (CommonMark plus GFM tables, strikethrough and linkify; raw
 * HTML in the input is escaped, never passed through); rendering maps block structure to text:
 * paragraphs become blank lines, headings bold lines, list items `•`/`1.` lines, rules a dash line,
 * tables a monospaced `<pre>` block with aligned columns (Telegram has no table markup; see
 * markdown-table.ts). Mentions are neutralised (see markdownToTelegramHtml).
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false }).use(monospaceTables);
const escape = md.utils.escapeHtml;

/** The entities escapeHtml produces, decoded. */
const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"' };

/** Link schemes kept in an `<a href>`; `tg:` links (which can mention a user) only for the asker, see allowedHref. */
const LINK_SCHEMES = /^https?:/i;

/**
 * Who an answer may still mention: the asker (their @username and a `tg://user?id=` link to them).
 * Everyone else's mentions are neutralised.
 */
export interface AllowedMentions {
  /** Telegram user id of the asker. */
  userId?: number;
  /** The asker's @username, without `@` (compared case-insensitively, as Telegram does). */
  username?: string;
}

/** Rendering state markdown-it passes to the rules. */
type RenderEnv = {
  allowed: AllowedMentions;
  links?: boolean[];
};

/** True for hrefs an answer may carry: http(s), or a `tg://user?id=` link to the asker. */
function allowedHref(href: string, allowed: AllowedMentions): boolean {
  if (LINK_SCHEMES.test(href)) return true;
  return allowed.userId !== undefined && href.toLowerCase() === `tg://user?id=${allowed.userId}`;
}

type Rule = NonNullable<Renderer['rules'][string]>;
const text = (value: string): Rule => (tokens, idx) => (tokens[idx].hidden ? '' : value);

/** Indentation of a list item: two spaces per enclosing list (markdown-it nests levels by 2). */
const listIndent = (token: Token) => '  '.repeat(Math.max(0, (token.level - 1) / 2));

const rules: Record<string, Rule> = {
  paragraph_open: text(''),
  paragraph_close: (tokens, idx) => (tokens[idx].hidden ? '\n' : '\n\n'),
  heading_open: text('<b>'),
  heading_close: text('</b>\n\n'),
  bullet_list_open: text(''),
  bullet_list_close: text('\n'),
  ordered_list_open: text(''),
  ordered_list_close: text('\n'),
  list_item_open: (tokens, idx) => {
    const token = tokens[idx];
    return `${listIndent(token)}${token.info ? `${token.info}${token.markup}` : '•'} `;
  },
  list_item_close: text(''),
  blockquote_open: text('<blockquote>'),
  blockquote_close: text('</blockquote>\n\n'),
  hr: text('——————\n\n'),
  strong_open: text('<b>'),
  strong_close: text('</b>'),
  em_open: text('<i>'),
  em_close: text('</i>'),
  s_open: text('<s>'),
  s_close: text('</s>'),
  softbreak: text('\n'),
  hardbreak: text('\n'),
  code_inline: (tokens, idx) => `<code>${escape(tokens[idx].content)}</code>`,
  code_block: (tokens, idx) => `<pre>${escape(tokens[idx].content.replace(/\n$/, ''))}</pre>\n\n`,
  fence: (tokens, idx) => {
    const language = tokens[idx].info.trim().split(/\s+/)[0].replace(/[^\w+-]/g, '');
    const code = escape(tokens[idx].content.replace(/\n$/, ''));
    return language ? `<pre><code class="language-${language}">${code}</code></pre>\n\n` : `<pre>${code}</pre>\n\n`;
  },
  link_open: (tokens, idx, _options, env: RenderEnv) => {
    const href = tokens[idx].attrGet('href') ?? '';
    const keep = allowedHref(href, env.allowed);
    (env.links ??= []).push(keep);
    return keep ? `<a href="${escape(href)}">` : '';
  },
  link_close: (_tokens, _idx, _options, env: RenderEnv) => (env.links?.pop() ? '</a>' : ''),
  [TABLE_TEXT_TOKEN]: (tokens, idx) => `<pre>${escape(tokens[idx].content)}</pre>\n\n`,
  image: (tokens, idx) => escape(tokens[idx].content || tokens[idx].attrGet('src') || ''),
};
Object.assign(md.renderer.rules, rules);

/**
 * Telegram's mention rule (tdlib `match_mentions`, which mirrors the server): `@` not preceded by a
 * word character (Unicode letter or number, `_`), then 2-32 of `A-Za-z0-9_`, not followed by a word
 * character. Such text becomes a `mention` entity, which notifies that user.
 */
const MENTION = /(?<![\p{L}\p{N}_])@([A-Za-z0-9_]{2,32})(?![\p{L}\p{N}_])/gu;

/**
 * Removes the `@` of every mention but the asker's from Telegram HTML, judged on the text Telegram
 * will show (tags dropped, entities decoded), so a mention split by formatting (`<i>@</i>name`) or
 * written as `&#64;name` is caught as well; code and pre included (a ping is worse than a changed
 * `@decorator`). Also used on the digest post, where nobody may be pinged (`allowed` empty).
 */
export function neutraliseMentions(html: string, allowed: AllowedMentions = {}): string {
  let shown = '';
  const source: number[] = [];
  for (let i = 0; i < html.length; ) {
    if (html[i] === '<') {
      // Every `<` of the text is escaped, so a raw one opens a tag.
      const close = html.indexOf('>', i);
      if (close < 0) break;
      i = close + 1;
      continue;
    }
    const entity = html[i] === '&' ? /^&(lt|gt|amp|quot);/.exec(html.slice(i, i + 6))?.[0] : undefined;
    shown += entity ? ENTITIES[entity] : html[i];
    source.push(i);
    i += entity ? entity.length : 1;
  }
  const asker = allowed.username?.toLowerCase();
  const drop = new Set<number>();
  for (const match of shown.matchAll(MENTION)) if (match[1].toLowerCase() !== asker) drop.add(source[match.index]);
  if (drop.size === 0) return html;
  let out = '';
  for (let i = 0; i < html.length; i++) if (!drop.has(i)) out += html[i];
  return out;
}

/**
 * Converts the LLM's Markdown to Telegram-safe HTML (see above): balanced tags only, every `<`, `>`,
 * `&` and `"` of the text escaped. Surrounding blank lines are trimmed, inner runs of blank lines
 * collapsed to one. The answer cannot ping anyone but the asker (`allowed`): other `@username`
 * mentions lose their `@`, and `tg:` links (e.g. `tg://user?id=…`, a mention by id) are dropped,
 * keeping their text.
 */
export function markdownToTelegramHtml(markdown: string, allowed: AllowedMentions = {}): string {
  const env: RenderEnv = { allowed };
  const html = md
    .render(markdown, env)
    .replace(/\n+<\/blockquote>/g, '</blockquote>')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return neutraliseMentions(html, allowed);
}

/** The text Telegram shows for HTML produced by markdownToTelegramHtml: tags dropped, entities decoded. */
export function telegramHtmlToText(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/&(lt|gt|amp|quot);/g, (entity) => ENTITIES[entity]);
}
