import { countMessagesTokens } from '@kraken/llm';
import IORedis from 'ioredis';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../../../test/support/redis';
import { contextEntryOf, formatEntry, type ContextEntry } from './context-entry';
import { ContextStore } from './context-store';
import { buildPrompt } from './prompt-builder';
import { botNamePattern } from './triggers';

const MODEL = 'gpt-4o-mini';
const TZ = 'Europe/Moscow';
const names = botNamePattern(['Кракен']);
const entry = (id: number, at: number, text: string, extra: Partial<ContextEntry> = {}): ContextEntry => ({ id, at, sender: `User ${id % 7}`, isBot: false, kind: 'text', text, ...extra });

describe('rolling context and prompt budget', () => {
  const prefix = uniquePrefix('kctx');
  const redis = new IORedis(TEST_REDIS_URL);
  let now = Date.UTC(2026, 10, 21, 12, 0, 0);
  const store = new ContextStore(redis, prefix, { windowMs: 2 * 3600_000, maxEntries: 20_000, maxBytes: 256 * 1024, now: () => now });

  afterAll(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('keeps only the window, newest first, replacing edits and dropping stale entries', async () => {
    await store.add(1, entry(1, now - 3 * 3600_000, 'too old'));
    await store.add(1, entry(2, now - 3600_000, 'an hour ago'));
    await store.add(1, entry(3, now, 'now'));
    await store.add(1, entry(2, now - 3600_000, 'an hour ago (edited)'));
    const read = async () => {
      const out: ContextEntry[] = [];
      for await (const e of store.newestFirst(1, 2)) out.push(e);
      return out.map((e) => e.text);
    };
    expect(await read()).toEqual(['now', 'an hour ago (edited)']);
    now += 90 * 60_000; // entry 2 is now 2.5 h old: hidden even before the next trim
    expect(await read()).toEqual(['now']);
    expect(await store.add(2, entry(9, now, 'other chat'))).toBe(1);
  });

  it('describes forwards, replies and media', () => {
    const fact = contextEntryOf({
      updateId: 1, chat: { id: -1, type: 'supergroup' }, messageId: 10, date: 1_700_000_000, kind: 'photo', textLength: 4, text: 'cap!',
      sender: { id: 5, kind: 'user', name: 'Anna', isBot: false }, replyToMessageId: 8,
      forwardOrigin: { type: 'channel', title: 'Habr', username: 'habr', id: -100 },
    })!;
    expect(formatEntry(fact, 'UTC')).toBe('#10 22:13 Anna (reply to #8) [forwarded from channel «Habr» @habr] [photo]: cap!');
  });

  it('never exceeds the budget with 5,000 messages, keeps the newest, cuts long ones', async () => {
    const chat = 3;
    const base = now - 100 * 60_000;
    for (let i = 0; i < 5000; i += 500) {
      await Promise.all(Array.from({ length: 500 }, (_, j) => store.add(chat, entry(i + j + 1, base + (i + j) * 1000, `Сообщение ${i + j + 1}: ${'обсуждаем планы на выходные '.repeat((i + j) % 40 === 0 ? 60 : 1)}`))));
    }
    for (const budget of [300, 1500, 4000]) {
      const prompt = await buildPrompt({
        persona: 'Ты — Кракен.', trigger: entry(9000, now, 'Кракен, о чём говорили?'), replyTo: entry(4990, base, 'реплика'),
        context: store.newestFirst(chat), model: MODEL, budgetTokens: budget, messageMaxTokens: 60, tz: TZ, names, now,
      });
      expect(prompt.promptTokens).toBeLessThanOrEqual(budget);
      expect(countMessagesTokens(prompt.messages, MODEL)).toBe(prompt.promptTokens);
      expect(prompt.contextIds[0]).toBe(5000);
      expect(prompt.contextIds).not.toContain(4990);
      if (budget === 1500) expect(prompt.promptTokens).toBeGreaterThan(1300);
    }
  });

  it('keys the cache on the question and the people’s context, not on bot answers or repeats', async () => {
    const build = (context: ContextEntry[], text = 'Кракен, когда встреча?') =>
      buildPrompt({ persona: 'p', trigger: entry(100, now, text), context, model: MODEL, budgetTokens: 1500, messageMaxTokens: 60, tz: TZ, names, now });
    const base = [entry(1, now - 5000, 'встреча в пятницу')];
    const first = await build(base);
    const repeated = await build([entry(3, now - 1000, 'Ответ Кракена', { isBot: true }), entry(2, now - 2000, 'кракен когда встреча'), ...base]);
    expect(repeated.cacheKey).toBe(first.cacheKey);
    const changed = await build([entry(4, now - 500, 'нет, в субботу'), ...base]);
    expect(changed.cacheKey).not.toBe(first.cacheKey);
  });
});
