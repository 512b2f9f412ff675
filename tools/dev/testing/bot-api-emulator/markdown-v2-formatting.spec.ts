import { BotApiError } from './bot-api-error';
import { parseLegacyMarkdown } from './markdown-legacy-formatting';
import { parseMarkdownV2 } from './markdown-v2-formatting';

/** The `can't parse entities` reason, or undefined when `parse(text)` succeeds. */
function parseError(parse: (text: string) => unknown, text: string): string | undefined {
  try {
    parse(text);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(BotApiError);
    return (error as BotApiError).description.replace("Bad Request: can't parse entities: ", '');
  }
}

describe('parseMarkdownV2', () => {
  test('documented syntax produces entities', () => {
    const { text, entities } = parseMarkdownV2('*b _i_* __u__ ~s~ ||p|| `c` [l](https://e\\.com/\\)) ![👍](tg://emoji?id=5)');
    expect(text).toBe('b i u s p c l 👍');
    expect(entities).toEqual(
      expect.arrayContaining([
        { type: 'bold', offset: 0, length: 3 },
        { type: 'italic', offset: 2, length: 1 },
        { type: 'underline', offset: 4, length: 1 },
        { type: 'strikethrough', offset: 6, length: 1 },
        { type: 'spoiler', offset: 8, length: 1 },
        { type: 'code', offset: 10, length: 1 },
        { type: 'text_link', offset: 12, length: 1, url: 'https://e.com/)' },
        { type: 'custom_emoji', offset: 14, length: 2, custom_emoji_id: '5' },
      ]),
    );
  });

  test('pre blocks take a language; only ` and \\ are special inside', () => {
    const { text, entities } = parseMarkdownV2('```ts\nconst a = 1; // ok.\n```');
    expect(text).toBe('const a = 1; // ok.\n');
    expect(entities).toEqual([{ type: 'pre', offset: 0, length: 20, language: 'ts' }]);
  });

  test('block quotes at line start, expandable ones end with ||', () => {
    expect(parseMarkdownV2('>quoted\n>lines\nafter').entities).toEqual([{ type: 'blockquote', offset: 0, length: 12 }]);
    expect(parseMarkdownV2('**>hidden\n>more||').entities).toEqual([{ type: 'expandable_blockquote', offset: 0, length: 11 }]);
  });

  test('escapes make reserved characters literal', () => {
    expect(parseMarkdownV2('1\\+1\\=2\\. \\(ok\\) \\#tag \\- \\!').text).toBe('1+1=2. (ok) #tag - !');
  });

  test('unescaped reserved characters and open entities are errors', () => {
    expect(parseError(parseMarkdownV2, 'Done.')).toBe(`Character '.' is reserved and must be escaped with the preceding '\\'`);
    expect(parseError(parseMarkdownV2, 'a-b')).toBe(`Character '-' is reserved and must be escaped with the preceding '\\'`);
    expect(parseError(parseMarkdownV2, 'x > y')).toBe(`Character '>' is reserved and must be escaped with the preceding '\\'`);
    expect(parseError(parseMarkdownV2, 'é *bold')).toBe(`Can't find end of Bold entity at byte offset 3`);
    expect(parseError(parseMarkdownV2, '[link](https://x')).toBe("Can't find end of a URL at byte offset 6");
  });
});

describe('parseLegacyMarkdown', () => {
  test('bold, italic, code, pre and links', () => {
    const { text, entities } = parseLegacyMarkdown('*b* _i_ `c` [l](https://x.y) ```js\nx```. a\\_b');
    expect(text).toBe('b i c l x. a_b');
    expect(entities.map((entity) => entity.type)).toEqual(['bold', 'italic', 'code', 'text_link', 'pre']);
  });

  test('an unclosed entity is an error', () => {
    expect(parseError(parseLegacyMarkdown, 'snake_case')).toBe("Can't find end of the entity starting at byte offset 5");
  });
});
