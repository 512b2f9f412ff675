import { dayOf } from '@kraken/stats';
import { ApiHarness, expectErrorShape, type TestAccount } from './api-harness';

/** Daily budget of the file: five worst-case gpt-4o questions (prompt + 1,000 answer tokens ≈ $0.01002 each), not six. */
const DAILY_USD = 0.0505;
const MONTHLY_USD = 0.2;

/** The events of a server-sent-event body, in order. */
function events(body: string): Array<{ event: string; data: any }> {
  return body
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.+)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
      return { event, data: JSON.parse(data) };
    });
}

/** Issue 12: asking, streaming, history, budgets over real HTTP with the fake LLM. */
describe('API questions', () => {
  const api = new ApiHarness();
  /** What an account's own budget counter holds (USD) for today or this month (PostgreSQL, LlmBudgetCounter). */
  const held = async (accountId: string, period: 'day' | 'month' = 'day') => {
    const today = dayOf(new Date(), 'Europe/Moscow');
    const key = period === 'day' ? `day:${today}` : `month:${today.slice(0, 7)}`;
    const row = await api.prisma!.llmBudgetCounter.findUnique({ where: { scope_period: { scope: `user:api:${accountId}`, period: key } } });
    return Number(row?.usd ?? 0);
  };

  beforeAll(async () => {
    await api.start({ env: { API_DAILY_BUDGET_USD: String(DAILY_USD), API_MONTHLY_BUDGET_USD: String(MONTHLY_USD) } });
  });
  afterEach(() => api.llm.reset());
  afterAll(() => api.stop());

  describe('POST /questions', () => {
    let account: TestAccount;
    beforeAll(async () => {
      account = await api.account();
    });

    it('answers through the LLM, stores the question and records a usage row with purpose api', async () => {
      api.llm.script({ text: 'Rotate on every use.', usage: { prompt_tokens: 20, completion_tokens: 5 } });
      const res = await api.request('POST', '/questions', { token: account.accessToken, body: { text: '  How to rotate tokens?  ' } });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        userId: account.id,
        question: 'How to rotate tokens?',
        answer: 'Rotate on every use.',
        model: 'gpt-4o-mini',
        provider: 'fake',
        promptTokens: 20,
        completionTokens: 5,
        costUsd: (20 * 0.15 + 5 * 0.6) / 1e6,
        cached: false,
        latencyMs: expect.any(Number),
        createdAt: expect.any(String),
      });
      expect(api.llm.requests[0].body).toMatchObject({ model: 'gpt-4o-mini', max_tokens: 1000, messages: [{ role: 'user', content: 'How to rotate tokens?' }] });
      const usage = await api.prisma!.llmUsage.findUniqueOrThrow({ where: { requestKey: `api-${res.body.id}` } });
      expect(usage).toMatchObject({ purpose: 'api', provider: 'fake', promptTokens: 20, completionTokens: 5, userId: null, chatId: null });
      // The budget holds the real cost after settlement, not the reservation.
      expect(await held(account.id)).toBeCloseTo(res.body.costUsd, 8);
      expect(await api.prisma!.llmBudgetReservation.count()).toBe(0);
    });

    it('uses an allowed model, refuses an unknown one with 400', async () => {
      const res = await api.request('POST', '/questions', { token: account.accessToken, body: { text: 'strong model please', model: 'gpt-4o' } });
      expect(res.status).toBe(201);
      expect(api.llm.requests[0].body.model).toBe('gpt-4o');
      const unknown = await api.request('POST', '/questions', { token: account.accessToken, body: { text: 'x', model: 'gpt-9-ultra' } });
      expectErrorShape(unknown, 400);
      expect(unknown.body.fields).toEqual([{ path: 'model', message: 'unknown model; available: gpt-4o-mini, gpt-4o' }]);
      expect(api.llm.requests).toHaveLength(1);
    });

    it('takes 8,000 characters, refuses 8,001, empty text and unknown fields; SQL and HTML are data', async () => {
      expect((await api.request('POST', '/questions', { token: account.accessToken, body: { text: 'я'.repeat(8000) } })).status).toBe(201);
      for (const body of [{ text: 'я'.repeat(8001) }, { text: '   ' }, {}, { text: 'hi', role: 'admin' }, { text: 42 }, { text: 'nul \u0000 inside' }]) {
        expectErrorShape(await api.request('POST', '/questions', { token: account.accessToken, body }), 400);
      }
      const hostile = `<img src=x onerror=alert(1)>'); DELETE FROM "ApiQuestion";--`;
      api.llm.script({ text: '<b>bold</b>\u0000 answer' });
      const res = await api.request('POST', '/questions', { token: account.accessToken, body: { text: hostile } });
      expect(res.body).toMatchObject({ question: hostile, answer: '<b>bold</b> answer' });
      expect(await api.prisma!.apiQuestion.count({ where: { userId: account.id } })).toBeGreaterThanOrEqual(3);
    });

    it('answers a repeated question of the same user from the cache, never another user’s', async () => {
      const first = await api.request('POST', '/questions', { token: account.accessToken, body: { text: 'cache me' } });
      const again = await api.request('POST', '/questions', { token: account.accessToken, body: { text: 'cache me' } });
      expect(again.body).toMatchObject({ answer: first.body.answer, cached: true, costUsd: 0, promptTokens: 0 });
      expect(api.llm.requests).toHaveLength(1);
      const stranger = await api.account();
      const theirs = await api.request('POST', '/questions', { token: stranger.accessToken, body: { text: 'cache me' } });
      expect(theirs.body.cached).toBe(false);
      expect(api.llm.requests).toHaveLength(2);
    });

    it('answers 503 when every provider fails, stores nothing and releases the reservation', async () => {
      const fresh = await api.account();
      api.llm.respond = () => ({ status: 500, message: 'provider exploded with secret details' });
      const res = await api.request('POST', '/questions', { token: fresh.accessToken, body: { text: 'will this fail?' } });
      expectErrorShape(res, 503);
      expect(res.text).not.toContain('secret details');
      expect(await api.prisma!.apiQuestion.count({ where: { userId: fresh.id } })).toBe(0);
      expect(await held(fresh.id)).toBe(0);
    });
  });

  describe('server-sent events (Accept: text/event-stream)', () => {
    it('streams the answer piece by piece, then the stored question', async () => {
      const account = await api.account();
      api.llm.script({ text: 'one two three', chunks: ['one ', 'two ', 'three'], chunkDelayMs: 80 });
      const res = await fetch(`${api.baseUrl}/questions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${account.accessToken}`, 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ text: 'count to three' }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const reader = res.body!.getReader();
      const arrivals: Array<[string, number]> = [];
      let text = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const chunk = Buffer.from(value).toString();
        text += chunk;
        arrivals.push([chunk, Date.now()]);
      }
      const received = events(text);
      expect(received.filter((e) => e.event === 'delta').map((e) => e.data.text)).toEqual(['one ', 'two ', 'three']);
      const done = received.at(-1)!;
      expect(done.event).toBe('done');
      expect(done.data).toMatchObject({ question: 'count to three', answer: 'one two three', userId: account.id });
      expect(arrivals.length).toBeGreaterThanOrEqual(3);
      expect(arrivals.at(-1)![1] - arrivals[0][1]).toBeGreaterThanOrEqual(120);
      expect((await api.request('GET', `/questions/${done.data.id}`, { token: account.accessToken })).body.answer).toBe('one two three');
    });

    it('ends with an error event when the provider dies mid-stream; nothing is stored', async () => {
      const account = await api.account();
      api.llm.script({ text: 'one two three four', cutAfterChunks: 2 });
      const res = await api.request('POST', '/questions', { token: account.accessToken, body: { text: 'fail midway' }, headers: { accept: 'text/event-stream' } });
      expect(res.status).toBe(200);
      const received = events(res.text);
      expect(received.map((e) => e.event)).toEqual(['delta', 'delta', 'error']);
      expect(received[2].data).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'the LLM providers are unavailable; try again later' });
      expect(await api.prisma!.apiQuestion.count({ where: { userId: account.id } })).toBe(0);
    });

    it('stops the LLM when the client goes away: no question stored, the generated part billed', async () => {
      const account = await api.account();
      api.llm.script({ text: 'a b c d e f g h i j', chunkDelayMs: 100 });
      const controller = new AbortController();
      const res = await fetch(`${api.baseUrl}/questions`, {
        method: 'POST',
        signal: controller.signal,
        headers: { authorization: `Bearer ${account.accessToken}`, 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ text: 'long answer please' }),
      });
      const reader = res.body!.getReader();
      await reader.read();
      await reader.read();
      controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await api.prisma!.apiQuestion.count({ where: { userId: account.id } })).toBe(0);
      const usage = await api.prisma!.llmUsage.findFirst({ where: { purpose: 'api', completionTokens: { gt: 0 } }, orderBy: { id: 'desc' } });
      expect(usage?.completionTokens).toBeLessThan(10);
      const used = await held(account.id);
      expect(used).toBeGreaterThan(0);
      expect(used).toBeLessThan(0.0001);
    });

    it('answers a refused question with a plain JSON error, not a stream', async () => {
      const account = await api.account();
      const res = await api.request('POST', '/questions', { token: account.accessToken, body: { text: '' }, headers: { accept: 'text/event-stream' } });
      expectErrorShape(res, 400);
    });
  });

  describe('budgets', () => {
    it('of 12 concurrent worst-case questions exactly as many as the daily budget holds are asked; the rest get 429 with Retry-After', async () => {
      const account = await api.account();
      api.llm.respond = () => ({ text: 'ok', delayMs: 300 });
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => api.request('POST', '/questions', { token: account.accessToken, body: { text: `question ${i}`, model: 'gpt-4o' } })),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(5);
      const refused = results.filter((r) => r.status === 429);
      expect(refused).toHaveLength(7);
      expectErrorShape(refused[0], 429);
      expect(refused[0].body.message).toMatch(/^your daily LLM budget of \$0.0505 is used up; it resets at 20\d\d-/);
      const retryAfter = Number(refused[0].headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(24 * 3600);
      expect(api.llm.requests).toHaveLength(5);
    });

    it('refuses when the month is spent, even on a fresh day', async () => {
      const account = await api.account();
      // Spent on other days of this month, as settled questions would have left the month's counter.
      const month = `month:${dayOf(new Date(), 'Europe/Moscow').slice(0, 7)}`;
      await api.prisma!.llmBudgetCounter.create({ data: { scope: `user:api:${account.id}`, period: month, usd: MONTHLY_USD - 0.005 } });
      const res = await api.request('POST', '/questions', { token: account.accessToken, body: { text: 'one more?', model: 'gpt-4o' } });
      expectErrorShape(res, 429);
      expect(res.body.message).toMatch(/^your monthly LLM budget of \$0.2 is used up/);
      expect(await held(account.id)).toBe(0);
      expect(api.llm.requests).toHaveLength(0);
    });
  });

  describe('GET /questions and /questions/:id', () => {
    it('returns exactly the last 3 newest first, also while 10 questions are asked at once', async () => {
      const account = await api.account();
      const other = await api.account();
      await api.request('POST', '/questions', { token: other.accessToken, body: { text: 'not yours' } });
      api.llm.respond = (request) => ({ text: `answer ${request.seq}`, delayMs: (request.seq * 37) % 200 });
      const snapshots: any[][] = [];
      let asking = true;
      const watcher = (async () => {
        while (asking) {
          snapshots.push((await api.request('GET', '/questions', { token: account.accessToken })).body.items);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      const asked = await Promise.all(Array.from({ length: 10 }, (_, i) => api.request('POST', '/questions', { token: account.accessToken, body: { text: `concurrent ${i}` } })));
      asking = false;
      await watcher;
      expect(asked.every((r) => r.status === 201)).toBe(true);
      const stored = await api.prisma!.apiQuestion.findMany({ where: { userId: account.id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
      expect(stored).toHaveLength(10);
      const res = await api.request('GET', '/questions', { token: account.accessToken });
      expect(res.status).toBe(200);
      expect(res.body.items.map((q: { id: string }) => q.id)).toEqual(stored.slice(0, 3).map((q) => q.id));
      expect(res.body.items[0]).toMatchObject({ userId: account.id, question: stored[0].question, answer: stored[0].answer });
      for (const items of snapshots) {
        expect(items.length).toBeLessThanOrEqual(3);
        expect(items.every((q) => q.userId === account.id)).toBe(true);
        const times = items.map((q) => q.createdAt);
        expect([...times].sort().reverse()).toEqual(times);
      }
    });

    it('GET /questions is empty for a new account', async () => {
      const account = await api.account();
      expect((await api.request('GET', '/questions', { token: account.accessToken })).body).toEqual({ items: [] });
    });

    it('GET /questions/:id: own 200, someone else’s 404 (not 403), any for an admin, bad id 400', async () => {
      const owner = await api.account();
      const stranger = await api.account();
      const admin = await api.admin();
      const question = (await api.request('POST', '/questions', { token: owner.accessToken, body: { text: 'private thought' } })).body;
      expect((await api.request('GET', `/questions/${question.id}`, { token: owner.accessToken })).body).toEqual(question);
      const theirs = await api.request('GET', `/questions/${question.id}`, { token: stranger.accessToken });
      expectErrorShape(theirs, 404);
      const missing = await api.request('GET', '/questions/00000000-0000-4000-8000-000000000000', { token: stranger.accessToken });
      expect(theirs.body).toEqual(missing.body);
      expect((await api.request('GET', `/questions/${question.id}`, { token: admin.accessToken })).body).toEqual(question);
      expectErrorShape(await api.request('GET', "/questions/1'%20OR%20'1'='1", { token: owner.accessToken }), 400);
    });
  });
});
