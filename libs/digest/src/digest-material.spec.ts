import { countTokens } from '@kraken/llm';
import { MESSAGE_KINDS } from '@kraken/contracts';
import type { MonthlyStats } from '@kraken/stats';
import { excerpt, EXCERPT_CHARS, renderMaterial, type DigestMaterial } from './digest-material';

const stats: MonthlyStats = {
  chatId: -1, month: '2025-03', tz: 'UTC', messages: 10,
  byKind: Object.fromEntries(MESSAGE_KINDS.map((k) => [k, 0])) as MonthlyStats['byKind'],
  activeParticipants: 2, activeParticipantsPrev: 1, joins: 0, leaves: 0, forwards: 0, stories: 0, replies: 3, edits: 0,
  topPosters: [{ userId: 1, name: 'Аня', messages: 7 }], busiestDay: { date: '2025-03-02', messages: 6 },
  members: { start: null, end: null }, memes: { submitted: 0, approved: 0, rejected: 0, pending: 0 },
};

describe('excerpt', () => {
  test('keeps short texts, flattens whitespace, and cuts long ones without splitting an emoji', () => {
    expect(excerpt(' a\n\n b ')).toBe('a b');
    const long = `${'x'.repeat(EXCERPT_CHARS - 2)}👨‍👩‍👧 tail`;
    const cut = excerpt(long);
    expect(cut.length).toBeLessThanOrEqual(EXCERPT_CHARS);
    expect(cut).toBe(`${'x'.repeat(EXCERPT_CHARS - 2)}…`);
  });
});

describe('renderMaterial', () => {
  const message = (i: number) => ({ messageId: i, sender: `User ${i}`, text: `сообщение номер ${i} `.repeat(20), kind: 'text', count: 10 - (i % 10) });
  const material: DigestMaterial = {
    mostReplied: Array.from({ length: 10 }, (_, i) => message(i)),
    mostReacted: Array.from({ length: 10 }, (_, i) => message(i + 10)),
    forwardSources: [{ title: 'Канал', count: 3 }],
    words: [{ word: 'кракен', count: 9 }, { word: 'мемы', count: 4 }],
  };

  test('fits the budget, taking every kind of material in turns', () => {
    const ctx = { language: 'ru' as const, month: { year: 2025, month: 3 }, chatTitle: 'Чат', stats, messagesPrev: 8, model: 'gpt-4o', budgetTokens: 600 };
    const text = renderMaterial(material, ctx);
    expect(countTokens(text, 'gpt-4o')).toBeLessThanOrEqual(600);
    expect(text).toContain('- Сообщений: 10 (было 8)');
    expect(text).toContain('- [10 ответов] User 0: «сообщение номер 0');
    expect(text).toContain('- [10 реакций] User 10:');
    expect(text).toContain('Чаще всего пересылали из: Канал (3)');
    expect(text).toContain('Частые слова: кракен (9), мемы (4)');
    expect(text).not.toContain('User 9:');
    expect(renderMaterial(material, { ...ctx, budgetTokens: 100_000 })).toContain('User 9:');
  });
});
