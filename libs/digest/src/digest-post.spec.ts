import { MESSAGE_KINDS } from '@kraken/contracts';
import type { MonthlyStats } from '@kraken/stats';
import { renderDigestPost, type DigestPostInput } from './digest-post';
import { formatChange, monthChange } from './month-change';
import { packParts, TELEGRAM_TEXT_LIMIT } from './post-parts';

const stats: MonthlyStats = {
  chatId: -100,
  month: '2024-09',
  tz: 'Europe/Moscow',
  messages: 56,
  byKind: { ...(Object.fromEntries(MESSAGE_KINDS.map((k) => [k, 0])) as MonthlyStats['byKind']), text: 50, photo: 6 },
  activeParticipants: 9,
  activeParticipantsPrev: 12,
  joins: 4,
  leaves: 1,
  forwards: 2,
  stories: 0,
  replies: 17,
  edits: 3,
  topPosters: [{ userId: 1, name: 'Ann <admin> & co', messages: 20 }, { userId: 2, name: 'Bob', messages: 10 }],
  busiestDay: { date: '2024-09-12', messages: 11 },
  members: { start: 100, end: 110 },
  memes: { submitted: 3, approved: 1, rejected: 1, pending: 1 },
};

const input = (over: Partial<DigestPostInput> = {}): DigestPostInput => ({
  language: 'ru',
  month: { year: 2024, month: 9 },
  chatTitle: 'Чат <3',
  stats,
  messagesPrev: 40,
  membersPrev: null,
  headlines: Array.from({ length: 10 }, (_, i) => `> 🔥 новость ${i} <b>не тег</b>`),
  bestMemes: [{ authorName: 'Ann', link: 'https://t.me/c/123/5', reactions: 7 }],
  ...over,
});

describe('month-over-month changes', () => {
  test.each([
    [110, 100, '▲ 10%'],
    [90, 100, '▼ 10%'],
    [5, 5, 'без изменений'],
    [7, 0, '▲'],
    [0, 0, 'без изменений'],
    [7, null, ''],
  ])('%s after %s → "%s"', (current, previous, text) => {
    expect(formatChange(monthChange(current, previous), 'без изменений')).toBe(text);
  });
});

describe('renderDigestPost', () => {
  test('pings nobody: @usernames in headlines, top posters and meme authors lose their @', () => {
    const post = renderDigestPost(
      input({
        stats: { ...stats, topPosters: [{ userId: 1, name: '@durov fan', messages: 20 }] },
        headlines: Array.from({ length: 10 }, (_, i) => `> 🔥 @user${i} снова прав, пиши на mail@example.com`),
        bestMemes: [{ authorName: '@memelord', link: 'https://t.me/c/123/5', reactions: 7 }],
      }),
    );
    const text = post.parts.join('\n\n');
    expect(text).not.toMatch(/(?<![\p{L}\p{N}_])@[A-Za-z0-9_]{2,}/u);
    expect(text).toContain('user3 снова прав');
    expect(text).toContain('durov fan (20)');
    expect(text).toContain('>memelord</a>');
    expect(text).toContain('mail@example.com');
  });

  test('shows every number of the month with the changes, escaped', () => {
    const post = renderDigestPost(input());
    const text = post.parts.join('\n\n');
    expect(post.parts).toHaveLength(1);
    expect(post.caption).toBe('<b>📰 Дайджест «Чат &lt;3» за сентябрь 2024</b>');
    for (const line of [
      'Сообщений: 56 ▲ 40% (было 40)',
      'Активных участников: 9 ▼ 25% (было 12)',
      'Участников: 100 → 110 ▲ 10%',
      'Вступили: 4 · вышли: 1',
      'Ответов: 17 · пересылок: 2 · историй: 0 · правок: 3',
      'По типам: текст 50 · фото 6',
      'Самый активный день: 12.09.2024 — 11 сообщений',
      'Больше всех писали: Ann &lt;admin&gt; &amp; co (20), Bob (10)',
      'Мемы: предложено 3 · одобрено 1 · отклонено 1 · ждут 1',
      '&gt; 🔥 новость 0 &lt;b&gt;не тег&lt;/b&gt;',
      '1. <a href="https://t.me/c/123/5">Ann</a> — 7 реакций',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).not.toContain('⚙️');
  });

  test('marks fallback headlines and says so in English too', () => {
    const text = renderDigestPost(input({ language: 'en', fallbackReason: 'not-configured', bestMemes: [], members: undefined } as Partial<DigestPostInput>)).parts.join('\n');
    expect(text).toContain('Headlines built from the numbers: no language model is configured.');
    expect(text).not.toContain('Best memes');
  });

  test('an unchanged number reads "без изменений" ("no change" in English), never "= 0%"', () => {
    const same = { ...stats, activeParticipantsPrev: 9, members: { start: 110, end: 110 } };
    const ru = renderDigestPost(input({ stats: same, messagesPrev: 56 })).parts.join('\n');
    expect(ru).toContain('Сообщений: 56, без изменений\n');
    expect(ru).toContain('Активных участников: 9, без изменений\n');
    expect(ru).toContain('Участников: 110 → 110, без изменений\n');
    const en = renderDigestPost(input({ language: 'en', stats: { ...same, messages: 0 }, messagesPrev: 0 })).parts.join('\n');
    expect(en).toContain('Messages: 0, no change\n');
    for (const text of [ru, en]) expect(text).not.toMatch(/=\s*0%/);
  });

  test('a month without messages says so instead of headlines', () => {
    const empty = { ...stats, messages: 0, topPosters: [], busiestDay: null };
    const ru = renderDigestPost(input({ stats: empty, headlines: [] })).parts.join('\n');
    expect(ru).toContain('<b>🗞 Тема месяца</b>\n<i>💤 За месяц в чате не было ни одного сообщения');
    const en = renderDigestPost(input({ language: 'en', stats: empty, headlines: [] })).parts.join('\n');
    expect(en).toContain('Not a single message in the chat this month');
  });

  test('unknown members and a first month leave the changes out', () => {
    const text = renderDigestPost(input({ stats: { ...stats, members: { start: null, end: null } }, messagesPrev: null })).parts.join('\n');
    expect(text).toContain('Участников: нет данных');
    expect(text).toContain('Сообщений: 56\n');
  });

  test('a long post is split into messages within 4,096 characters', () => {
    const posters = Array.from({ length: 10 }, (_, i) => ({ userId: i, name: '&'.repeat(250), messages: 1 }));
    const headlines = Array.from({ length: 10 }, (_, i) => `> 🔥 ${'д'.repeat(300)} ${i}`);
    const post = renderDigestPost(input({ stats: { ...stats, topPosters: posters }, headlines }));
    expect(post.parts.length).toBeGreaterThan(1);
    for (const part of post.parts) expect(part.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(post.parts.join('\n\n')).toContain('д'.repeat(300));
  });
});

describe('packParts', () => {
  test('packs blocks greedily and splits an oversized block between lines', () => {
    expect(packParts(['a', 'b', ''], 10)).toEqual(['a\n\nb']);
    expect(packParts(['aaaa', 'bbbb'], 8)).toEqual(['aaaa', 'bbbb']);
    expect(packParts(['x', 'l1\nl2\nl3'], 6)).toEqual(['x\n\nl1', 'l2\nl3']);
  });
});
