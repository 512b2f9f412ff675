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
 * markdown-table.ts).
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false }).use(monospaceTables);
const escape = md.utils.escapeHtml;

/** Link schemes Telegram opens from an `<a href>`. */
const LINK_SCHEMES = /^(https?:|tg:)/i;

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
  link_open: (tokens, idx, _options, env: { links?: boolean[] }) => {
    const href = tokens[idx].attrGet('href') ?? '';
    const keep = LINK_SCHEMES.test(href);
    (env.links ??= []).push(keep);
    return keep ? `<a href="${escape(href)}">` : '';
  },
  link_close: (_tokens, _idx, _options, env: { links?: boolean[] }) => (env.links?.pop() ? '</a>' : ''),
  [TABLE_TEXT_TOKEN]: (tokens, idx) => `<pre>${escape(tokens[idx].content)}</pre>\n\n`,
  image: (tokens, idx) => escape(tokens[idx].content || tokens[idx].attrGet('src') || ''),
};
Object.assign(md.renderer.rules, rules);

/**
 * Converts the LLM's Markdown to Telegram-safe HTML (see above): balanced tags only, every `<`, `>`,
 * `&` and `"` of the text escaped. Surrounding blank lines are trimmed, inner runs of blank lines
 * collapsed to one.
 */
export function markdownToTelegramHtml(markdown: string): string {
  return md
    .render(markdown, {})
    .replace(/\n+<\/blockquote>/g, '</blockquote>')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"' };

/** The text Telegram shows for HTML produced by markdownToTelegramHtml: tags dropped, entities decoded. */
export function telegramHtmlToText(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/&(lt|gt|amp|quot);/g, (entity) => ENTITIES[entity]);
}
