import { markdownToTelegramHtml, telegramHtmlToText } from './telegram-html';
import { splitAnswer, TELEGRAM_MESSAGE_LIMIT } from './split-message';

describe('Markdown → Telegram HTML', () => {
  it('maps formatting to Telegram tags and escapes everything else', () => {
    const html = markdownToTelegramHtml('# Итог\n\n**жирный** _курсив_ ~~нет~~ `a<b>` [сайт](https://x.ru/?a=1&b=2) <script>x</script>\n\n- раз\n- два\n\n```js\nif (a < b) {}\n```');
    expect(html).toBe(
      '<b>Итог</b>\n\n<b>жирный</b> <i>курсив</i> <s>нет</s> <code>a&lt;b&gt;</code> <a href="https://x.ru/?a=1&amp;b=2">сайт</a> &lt;script&gt;x&lt;/script&gt;\n\n• раз\n• два\n\n<pre><code class="language-js">if (a &lt; b) {}</code></pre>',
    );
    expect(telegramHtmlToText('<b>a &lt; b</b> &amp; c')).toBe('a < b & c');
  });

  it('renders a Markdown table as a monospaced block with aligned columns (issue 9)', () => {
    const html = markdownToTelegramHtml('Итоги:\n\n| Имя | Очки | Комментарий |\n|:---|---:|:---:|\n| **Аня** | 10 | <b>ок</b> |\n| Боря `x` | 7 |  |\n\nВот так.');
    expect(html).toBe(
      'Итоги:\n\n<pre>' +
        'Имя    | Очки | Комментарий\n' +
        '-------+------+------------\n' +
        'Аня    |   10 |  &lt;b&gt;ок&lt;/b&gt;\n' +
        'Боря x |    7 |' +
        '</pre>\n\nВот так.',
    );
    expect(html).not.toContain('|:---');
  });

  it('drops links Telegram would not open', () => {
    expect(markdownToTelegramHtml('[x](javascript:alert(1)) [y](ftp://h/)')).not.toContain('<a');
  });

  it('pings nobody but the asker: other @mentions lose their @, tg: links are dropped', () => {
    const asker = { userId: 701, username: 'Anna_K' };
    const answer = [
      'Спроси @boris_b и @anna_k, напиши на a@b.ru, глянь https://t.me/boris_b.',
      '[Борис](tg://user?id=702) и [Анна](tg://user?id=701), [чат](tg://resolve?domain=boris_b) <tg://user?id=703>',
      '*@*durov, @dur**ov**, &#64;durov, (@x_y) @k, ﹫durov',
      '`@Override` and ```\n@all\n```',
    ].join('\n\n');
    const html = markdownToTelegramHtml(answer, asker);
    const shown = telegramHtmlToText(html);
    // What Telegram would make a mention of (tdlib match_mentions): only the asker's is left.
    const mentions = [...shown.matchAll(/(?<![\p{L}\p{N}_])@([A-Za-z0-9_]{2,32})(?![\p{L}\p{N}_])/gu)].map((m) => m[1]);
    expect(mentions).toEqual(['anna_k']);
    expect(shown).toContain('Спроси boris_b и @anna_k, напиши на a@b.ru');
    expect(shown).toContain('durov, durov, durov, (x_y) @k');
    expect(html).toContain('<a href="https://t.me/boris_b">');
    expect(html).toContain('<a href="tg://user?id=701">Анна</a>');
    expect(html.match(/tg:\/\/user\?id=70[23]"/g)).toBeNull();
    expect(html).not.toContain('href="tg://resolve');
    expect(html).toContain('<code>Override</code>');
    expect(markdownToTelegramHtml('[Анна](tg://user?id=701) @anna_k')).toBe('Анна anna_k');
  });
});

describe('splitAnswer', () => {
  it('keeps a short answer in one part', () => {
    expect(splitAnswer('Привет!')).toEqual([{ html: 'Привет!', plain: 'Привет!' }]);
  });

  it('splits 10,000 characters on paragraph boundaries, in order, each part within the limit', () => {
    const paragraphs = Array.from({ length: 40 }, (_, i) => `Абзац ${i}: ${'слово '.repeat(40).trim()}.`);
    const text = paragraphs.join('\n\n');
    expect(text.length).toBeGreaterThan(10_000);
    const parts = splitAnswer(text);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) expect(part.html.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
    expect(parts.map((p) => p.plain).join('\n\n')).toBe(text);
  });

  it('splits one huge paragraph on sentences and a huge code block by lines, keeping fences', () => {
    const sentences = Array.from({ length: 300 }, (_, i) => `Предложение номер ${i} здесь.`).join(' ');
    const parts = splitAnswer(sentences, 1000);
    expect(parts.length).toBeGreaterThan(5);
    for (const part of parts) {
      expect(part.html.length).toBeLessThanOrEqual(1000);
      expect(part.plain.endsWith('.')).toBe(true);
    }
    const code = '```\n' + Array.from({ length: 200 }, (_, i) => `line ${i} <tag>`).join('\n') + '\n```';
    const codeParts = splitAnswer(code, 1000);
    expect(codeParts.length).toBeGreaterThan(2);
    for (const part of codeParts) expect(part.html).toMatch(/^<pre>[\s\S]*<\/pre>$/);
    expect(codeParts.map((p) => p.plain).join('\n')).toBe(Array.from({ length: 200 }, (_, i) => `line ${i} <tag>`).join('\n'));
  });

  it('splits a table too long for one message by rows, each part a table under the same header', () => {
    const rows = Array.from({ length: 300 }, (_, i) => `| Участник ${i} | ${i * 3} |`);
    const table = ['| Кто | Сколько |', '|---|---:|', ...rows].join('\n');
    const parts = splitAnswer(`Таблица:\n\n${table}`, 1000);
    expect(parts.length).toBeGreaterThan(5);
    for (const part of parts.slice(1)) {
      expect(part.html.length).toBeLessThanOrEqual(1000);
      expect(part.html).toMatch(/^<pre>Кто +\| Сколько\n-+\+-+\n/);
      expect(part.html).not.toContain('---:');
    }
    const body = parts.flatMap((p) => p.plain.split('\n')).filter((line) => line.startsWith('Участник'));
    expect(body).toHaveLength(300);
    expect(body[299]).toMatch(/^Участник 299 \| +897$/);
  });
});
