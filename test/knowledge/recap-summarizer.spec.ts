import { countMessagesTokens, CompletionCache, LlmService, PrismaUsageRecorder, readLlmSettings } from '@kraken/llm';
import { PrismaService } from '@kraken/db';
import { chatLanguage, messageLink, parseRecapArgs, parseRecapSummary, summarizeRecap } from '@kraken/recap';
import { createTestPrisma, FakeLlmServer, messageText, type TestPrisma } from '@kraken/testing';
import IORedis from 'ioredis';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';

/** Map-reduce recaps against the fake OpenAI-compatible server through the real LlmService. */
describe('recap summarizer', () => {
  const llm = new FakeLlmServer();
  const prefix = uniquePrefix('krecap');
  let redis: IORedis;
  let fixture: TestPrisma;
  let prisma: PrismaService;
  let service: LlmService;

  beforeAll(async () => {
    await llm.start();
    redis = new IORedis(TEST_REDIS_URL);
    fixture = await createTestPrisma({ poolSize: 2 });
    prisma = fixture.prisma;
    const settings = readLlmSettings({ LLM_PROVIDERS: 'fake', LLM_FAKE_BASE_URL: llm.baseUrl, LLM_FAKE_API_KEY: 'sk', LLM_MAX_RETRIES: '0' });
    service = new LlmService(settings, { cache: new CompletionCache(redis, prefix, 0), usage: new PrismaUsageRecorder(prisma) });
  });
  afterAll(async () => {
    await llm.stop();
    await fixture.close();
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('splits a long window into parts within the budget, merges the partial summaries, records purpose recap', async () => {
    llm.respond = (request) => {
      const ids = [...messageText(request.body.messages[1].content).matchAll(/^#(\d+) /gm)].map((m) => Number(m[1]));
      const merging = messageText(request.body.messages[0].content).includes('Merge them');
      return { text: merging ? '```json\n{"topics":[{"title":"Merged","summary":"All parts.","messages":[1,2000],"people":["A"]}],"open_questions":[]}\n```' : JSON.stringify({ topics: [{ title: `Part ${ids[0]}`, summary: 's', messages: ids.slice(0, 2), people: [] }], open_questions: [] }) };
    };
    const lines = Array.from({ length: 2000 }, (_, i) => `#${i + 1} 12:00 User ${i % 9}: ${'обсуждаем планы на выходные и погоду '.repeat(3)}`);
    const result = await summarizeRecap(service, { lines, language: 'ru', model: 'gpt-4o-mini', budgetTokens: 3000, maxTokens: 300, maxCalls: 12, chatId: -1, requestKey: 'rcp-test', userId: 5 });
    expect(result.calls).toBeGreaterThan(2);
    expect(result.maxPromptTokens).toBeLessThanOrEqual(3000);
    for (const request of llm.requests) expect(countMessagesTokens(request.body.messages as never, 'gpt-4o-mini')).toBeLessThanOrEqual(3000);
    expect(result.summary.topics[0].title).toBe('Merged');
    expect(result.droppedLines).toBeGreaterThan(0); // 2000 long lines need more than 11 parts of 3,000 tokens
    const [usage] = await prisma.$queryRaw<Array<{ n: bigint; purposes: string[] }>>`SELECT count(*) AS n, array_agg(DISTINCT "purpose") AS purposes FROM "LlmUsage"`;
    expect(Number(usage.n)).toBe(result.calls);
    expect(usage.purposes).toEqual(['recap']);
  });

  it('reads the model output leniently and the arguments strictly', () => {
    expect(parseRecapSummary('Sure! {"topics":[{"title":"T","summary":"S","messages":["#12", 13, "x"],"people":["A", 5]}]}')).toEqual({ topics: [{ title: 'T', summary: 'S', messages: [12, 13], people: ['A'] }], openQuestions: [] });
    expect(parseRecapSummary('no json here')).toBeNull();
    expect(parseRecapArgs('')).toEqual({ kind: 'default' });
    expect(parseRecapArgs('6h')).toEqual({ kind: 'hours', hours: 6 });
    expect(parseRecapArgs('90 мин')).toEqual({ kind: 'hours', hours: 1.5 });
    expect(parseRecapArgs('200')).toEqual({ kind: 'messages', count: 200 });
    expect(parseRecapArgs('200', 77)).toEqual({ kind: 'from-message', messageId: 77 });
    expect(parseRecapArgs('yesterday')).toBeNull();
    expect(messageLink(-1002482670091, 405, 236)).toBe('https://t.me/c/2482670091/236/405');
    expect(messageLink(-4512, 5)).toBeNull();
    expect(chatLanguage(['Привет всем', 'ok'], 'en')).toBe('ru');
    expect(chatLanguage(['12345'], 'en')).toBe('en');
  });
});
