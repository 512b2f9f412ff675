import { MESSAGE_KINDS } from '@kraken/contracts';
import type { MonthlyStats } from '@kraken/stats';
import { fallbackHeadlines } from './fallback-headlines';
import { HEADLINE_COUNT, parseHeadlines } from './headline-parser';

const TEN = Array.from({ length: 10 }, (_, i) => `> 🪙 «заголовок номер ${i + 1}» — пояснение ${i + 1}`);
const lines = (n: number) => Array.from({ length: n }, (_, i) => `> 🔥 новость ${i + 1} — подробности`);

describe('parseHeadlines', () => {
  test('ten clean lines come back as they are', () => {
    expect(parseHeadlines(TEN.join('\n'))).toEqual(TEN);
  });

  test('a fenced Python list with quotes, escapes and trailing commas', () => {
    const answer = ['Вот заголовки:', '```python', 'headlines = [', ...TEN.map((h) => `    "${h.replace('«', '\\"«')}",`), ']', '```', 'Надеюсь, понравится!'].join('\n');
    expect(parseHeadlines(answer)).toEqual(TEN.map((h) => h.replace('«', '"«')));
  });

  test('numbered and bulleted lines, single quotes, extra spaces and &gt;', () => {
    const answer = TEN.map((h, i) => (i % 3 === 0 ? `${i + 1}. ${h}` : i % 3 === 1 ? `${i + 1}) '${h}',` : `- &gt;${h.slice(1)}`)).join('\n\n');
    expect(parseHeadlines(answer)).toEqual(TEN);
  });

  test('a JSON array on one line', () => {
    expect(parseHeadlines(JSON.stringify(TEN))).toEqual(TEN);
  });

  test('an upper-case first letter is lowered, after quotes too; emoji sequences are kept whole', () => {
    const answer = [...TEN.slice(0, 8), '> 👨‍👩‍👧 Семья в чате', '> 🇷🇺🔥 «Путин» — снова'].join('\n');
    expect(parseHeadlines(answer)?.slice(8)).toEqual(['> 👨‍👩‍👧 семья в чате', '> 🇷🇺🔥 «путин» — снова']);
  });

  test('7 headlines are not enough', () => {
    expect(parseHeadlines(lines(7).join('\n'))).toBeNull();
  });

  test('14 headlines: the first 10 are kept', () => {
    expect(parseHeadlines(lines(14).join('\n'))).toEqual(lines(10));
  });

  test('an empty answer, and lines without ">" or without an emoji, give nothing', () => {
    expect(parseHeadlines('')).toBeNull();
    expect(parseHeadlines(lines(10).map((l) => l.slice(2)).join('\n'))).toBeNull();
    expect(parseHeadlines(lines(10).map((l) => l.replace('🔥 ', '')).join('\n'))).toBeNull();
    expect(parseHeadlines(lines(10).map((l) => l.replace('новость', '2025')).join('\n'))).toBeNull();
  });
});

describe('fallbackHeadlines', () => {
  const stats: MonthlyStats = {
    chatId: -1,
    month: '2025-03',
    tz: 'Europe/Moscow',
    messages: 120,
    byKind: { ...(Object.fromEntries(MESSAGE_KINDS.map((k) => [k, 0])) as MonthlyStats['byKind']), text: 100, photo: 15, video: 5 },
    activeParticipants: 21,
    activeParticipantsPrev: 18,
    joins: 3,
    leaves: 1,
    forwards: 4,
    stories: 0,
    replies: 40,
    edits: 7,
    topPosters: [{ userId: 1, name: 'Аня', messages: 31 }],
    busiestDay: { date: '2025-03-08', messages: 25 },
    members: { start: null, end: null },
    memes: { submitted: 2, approved: 1, rejected: 1, pending: 0 },
  };

  test.each(['ru', 'en'] as const)('are ten headlines the parser accepts (%s)', (language) => {
    const headlines = fallbackHeadlines(stats, 100, language);
    expect(headlines).toHaveLength(HEADLINE_COUNT);
    expect(parseHeadlines(headlines.join('\n'))).toEqual(headlines);
  });

  test('carry the numbers, with the change in messages', () => {
    const ru = fallbackHeadlines(stats, 100, 'ru').join('\n');
    expect(ru).toContain('за месяц — 120 сообщений, на 20% больше');
    expect(ru).toContain('Аня: 31 сообщение');
    expect(ru).toContain('08.03.2025: 25 сообщений');
    expect(fallbackHeadlines({ ...stats, topPosters: [], busiestDay: null }, 0, 'en').join('\n')).toContain('after a silent month');
  });
});
