import { Client } from 'pg';
import { ChatHarness } from './chat-harness';

const user = (i: number) => ({ id: 1500 + i, first_name: `User${i}` });
const text = (call: { params: Record<string, unknown> }) => String(call.params.text);

/**
 * Issue 8, item 5: LLM spend has a ceiling. Prices make every answer cost exactly its worst case
 * ($0.001 per completion token, 100 tokens at most, prompts free): $0.10 per answer, so a $0.30 chat
 * budget allows 3 answers and a $1.00 daily budget 10, however many requests run at once.
 */
describe('LLM budgets: reserved before each call, never passed by concurrent requests', () => {
  const h = new ChatHarness();
  beforeAll(async () => {
    await h.start({
      env: {
        LLM_PRICES: JSON.stringify({ 'gpt-4o-mini': { input: 0, output: 1000 } }),
        CHAT_ANSWER_MAX_TOKENS: '100',
        LLM_BUDGET_CHAT_DAILY_USD: '0.3',
        LLM_BUDGET_CHAT_MONTHLY_USD: '0',
        LLM_BUDGET_DAILY_USD: '1',
        LLM_BUDGET_MONTHLY_USD: '0',
        LLM_WORKER_CONCURRENCY: '50',
      },
    });
    // Slow enough that every request of a burst is in flight at once; the usage is the worst case.
    h.llm().respond = () => ({ text: 'Ответ', delayMs: 300, usage: { prompt_tokens: 40, completion_tokens: 100 } });
  });
  afterAll(() => h.stop());

  it('a chat over its daily budget gets no LLM call and one notice', async () => {
    const chat = { id: -9201 };
    const asks = [];
    for (let i = 0; i < 5; i++) asks.push(await h.send(chat, user(i), `Кракен, сколько будет ${i} + ${i}?`));
    await h.idle(30_000);
    expect(h.llm().requests).toHaveLength(3);
    const sent = h.emulator.calls('sendMessage').filter((c) => Number(c.params.chat_id) === chat.id && c.response.status === 200);
    expect(sent.filter((c) => text(c) === 'Ответ')).toHaveLength(3);
    const notices = sent.filter((c) => text(c) !== 'Ответ');
    expect(notices.map(text)).toEqual(['Лимит расходов на языковую модель для этого чата исчерпан на сегодня. Отвечу снова завтра.']);
  });

  it('50 requests at once never pass the global daily budget', async () => {
    const chats = Array.from({ length: 50 }, (_, i) => ({ id: -9300 - i }));
    for (const [i, chat] of chats.entries()) await h.send(chat, user(i), `Кракен, вопрос из чата ${i}`);
    await h.idle(60_000);
    // $0.30 was spent above: $0.70 is left for 7 answers of $0.10.
    expect(h.llm().requests).toHaveLength(10);
    const accepted = h.emulator.calls('sendMessage').filter((c) => c.response.status === 200 && Number(c.params.chat_id) <= -9300);
    expect(accepted.filter((c) => text(c) === 'Ответ')).toHaveLength(7);
    const notices = accepted.filter((c) => text(c) !== 'Ответ');
    expect(notices).toHaveLength(43);
    expect(new Set(notices.map(text))).toEqual(new Set(['Лимит расходов на языковую модель для всех чатов исчерпан на сегодня. Отвечу снова завтра.']));

    const db = new Client({ connectionString: h.env.DATABASE_URL });
    await db.connect();
    try {
      const usage = await db.query<{ cost: string; n: string }>(`SELECT sum("costUsd")::text AS cost, count(*)::text AS n FROM "LlmUsage"`);
      expect(usage.rows[0]).toEqual({ cost: '1.00000000', n: '10' });
      const held = await db.query<{ scope: string; usd: string }>(`SELECT "scope", "usd"::text AS usd FROM "LlmBudgetCounter" WHERE "scope" = 'global'`);
      expect(held.rows).toEqual([{ scope: 'global', usd: '1.00000000' }]);
      expect((await db.query(`SELECT 1 FROM "LlmBudgetReservation"`)).rowCount).toBe(0);
    } finally {
      await db.end();
    }
  });
});
