import { BotApiError } from './bot-api-error';
import { parseTelegramHtml } from './html-formatting';

/** The `can't parse entities` reason for `html`, or undefined when it parses. */
function parseError(html: string): string | undefined {
  try {
    parseTelegramHtml(html);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(BotApiError);
    return (error as BotApiError).description.replace("Bad Request: can't parse entities: ", '');
  }
}

describe('parseTelegramHtml', () => {
  test('all documented tags produce their entities', () => {
    const html = [
      '<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del>',
      '<span class="tg-spoiler">p</span><tg-spoiler>q</tg-spoiler><a href="tg://user?id=5">m</a>',
      '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji><code>c</code>',
      '<pre><code class="language-python">x</code></pre><blockquote expandable>z</blockquote><tg-time unix="1700000000" format="wDT">t</tg-time>',
    ].join('');
    const { text, entities } = parseTelegramHtml(html);
    expect(text).toBe('bsieunskdpqm👍cxzt');
    expect(entities.map((entity) => entity.type)).toEqual([
      'bold', 'bold', 'italic', 'italic', 'underline', 'underline', 'strikethrough', 'strikethrough', 'strikethrough',
      'spoiler', 'spoiler', 'text_mention', 'custom_emoji', 'code', 'pre', 'expandable_blockquote', 'date_time',
    ]);
    expect(entities.find((entity) => entity.type === 'pre')).toMatchObject({ language: 'python', offset: 15, length: 1 });
    expect(entities.find((entity) => entity.type === 'custom_emoji')).toMatchObject({ offset: 12, length: 2 });
    expect(entities.find((entity) => entity.type === 'date_time')).toMatchObject({ unix_time: 1700000000, date_time_format: 'wDT' });
  });

  test('entities are decoded and counted in UTF-16 units; nesting is kept', () => {
    const { text, entities } = parseTelegramHtml('<b>a &lt;&gt;&amp;&quot; &#128512;&#x41; <i>n</i></b>');
    expect(text).toBe('a <>&" 😀A n');
    expect(entities).toEqual([
      { type: 'italic', offset: 11, length: 1 },
      { type: 'bold', offset: 0, length: 12 },
    ]);
  });

  test('attributes: single quotes, unquoted tokens and unknown attributes', () => {
    expect(parseTelegramHtml(`<a href='https://x.y/?a=1&amp;b=2' target=blank>x</a>`).entities).toEqual([
      { type: 'text_link', offset: 0, length: 1, url: 'https://x.y/?a=1&b=2' },
    ]);
    expect(parseTelegramHtml('<b class=big>x</b>').entities).toEqual([{ type: 'bold', offset: 0, length: 1 }]);
  });

  test('malformed markup is reported with Telegram wording and byte offsets', () => {
    expect(parseError('<b>unclosed')).toBe(`Can't find end tag corresponding to start tag "b"`);
    expect(parseError('<foo>x</foo>')).toBe('Unsupported start tag "foo" at byte offset 0');
    expect(parseError('é <br>')).toBe('Unsupported start tag "br" at byte offset 3');
    expect(parseError('<b><i>x</b></i>')).toBe('Unmatched end tag at byte offset 7, expected "</i>", found "</b>"');
    expect(parseError('x</b>')).toBe('Unexpected end tag at byte offset 1');
    expect(parseError('1 < 2')).toBe('Unsupported start tag "" at byte offset 2');
    expect(parseError('a <b')).toBe('Unclosed start tag at byte offset 2');
    expect(parseError('<b>x</b')).toBe('Unclosed end tag at byte offset 4');
    expect(parseError('<span>x</span>')).toBe('Tag "span" must have class "tg-spoiler" at byte offset 0');
    expect(parseError('<a href>x</a>')).toBe('Expected equal sign in declaration of an attribute of the tag "a" at byte offset 3');
    expect(parseError('AT&T')).toMatch(/^Character "&" at byte offset 2/);
    expect(parseError('&nbsp;')).toMatch(/^Character "&" at byte offset 0/);
    expect(parseError('<a href=x_y>x</a>')).toBe('Unexpected end of name token at byte offset 9');
  });

  test('a bare > is accepted, as Telegram does', () => {
    expect(parseTelegramHtml('2 > 1').text).toBe('2 > 1');
  });
});
