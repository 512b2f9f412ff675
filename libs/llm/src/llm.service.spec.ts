import { ConfigError } from '@kraken/config';
import { createTestPrisma, FakeLlmServer, type TestPrisma } from '@kraken/testing';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../../../test/support/redis';
import { PrismaService } from '@kraken/db';
import { CompletionCache } from './completion-cache';
import { LlmAbortedError, LlmNotConfiguredError, LlmUnavailableError } from './llm-errors';
import { readLlmSettings } from './llm-settings';
import { LlmService } from './llm.service';
import { readModelSeed, withRegistryPrices } from './model-registry';
import { costUsd } from './price-table';
import { countMessagesTokens, countTokens, truncateToTokens } from './token-count';
import { PrismaUsageRecorder } from './usage-recorder';
import { UsageReportRepository } from './usage-report.repository';

const ask = { role: 'chat' as const, messages: [{ role: 'user' as const, content: 'Привет?' }], purpose: 'test' };

describe('LlmService against fake OpenAI-compatible providers', () => {
  const a = new FakeLlmServer();
  const b = new FakeLlmServer();
  const prefix = uniquePrefix('kllm');
  let redis: IORedis;
  let fixture: TestPrisma;
  let prisma: PrismaService;

  const service = (extra: Record<string, string> = {}) => {
    const settings = readLlmSettings({
      LLM_PROVIDERS: 'alpha,beta',
      LLM_ALPHA_BASE_URL: a.baseUrl,
      LLM_ALPHA_API_KEY: 'sk-alpha',
      LLM_BETA_BASE_URL: b.baseUrl,
      LLM_BETA_API_KEY: 'sk-beta',
      LLM_BETA_CHAT_MODEL: 'llama-3.1-8b-instant',
      LLM_TIMEOUT_MS: '300',
      LLM_MAX_RETRIES: '1',
      ...extra,
    });
    // Priced as LlmModule prices: the registry's seed (config/models.json) under LLM_PRICES.
    return new LlmService(withRegistryPrices(settings, readModelSeed(settings.modelsPath)), { cache: new CompletionCache(redis, prefix, settings.cacheTtlSeconds), usage: new PrismaUsageRecorder(prisma) });
  };

  beforeAll(async () => {
    await Promise.all([a.start(), b.start()]);
    redis = new IORedis(TEST_REDIS_URL);
    fixture = await createTestPrisma({ poolSize: 2 });
    prisma = fixture.prisma;
  });
  afterEach(() => {
    a.reset();
    b.reset();
  });
  afterAll(async () => {
    await Promise.all([a.stop(), b.stop()]);
    await fixture.close();
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('throws LlmNotConfiguredError when no provider has a key or base URL', async () => {
    const llm = new LlmService(readLlmSettings({}));
    expect(llm.isConfigured()).toBe(false);
    await expect(llm.complete(ask)).rejects.toBeInstanceOf(LlmNotConfiguredError);
  });

  it('answers from the first provider with the chat model, its key, and records usage with cost', async () => {
    a.script({ text: 'Привет!', usage: { prompt_tokens: 1000, completion_tokens: 500 } });
    const result = await service().complete({ ...ask, chatId: -100, userId: 7, requestKey: 'req-1', maxTokens: 50 });
    expect(result).toMatchObject({ text: 'Привет!', provider: 'alpha', model: 'gpt-4o-mini', promptTokens: 1000, completionTokens: 500, cached: false });
    expect(result.costUsd).toBeCloseTo((1000 * 0.15 + 500 * 0.6) / 1e6, 10);
    expect(a.requests[0].authorization).toBe('Bearer sk-alpha');
    expect(a.requests[0].body).toMatchObject({ model: 'gpt-4o-mini', max_tokens: 50 });
    const rows = await prisma.$queryRaw<Array<{ chatId: bigint; costUsd: string; provider: string }>>`SELECT "chatId", "costUsd"::text, provider FROM "LlmUsage" WHERE "requestKey" = 'req-1'`;
    expect(rows).toEqual([{ chatId: -100n, costUsd: '0.00045000', provider: 'alpha' }]);
  });

  it('retries a 429 on the same provider after its retry-after, then answers once', async () => {
    a.script({ status: 429, retryAfterMs: 50 }, { text: 'после паузы' });
    const result = await service().complete(ask);
    expect(result.text).toBe('после паузы');
    expect(a.requests).toHaveLength(2);
    expect(a.requests[1].at - a.requests[0].at).toBeGreaterThanOrEqual(45);
    expect(b.requests).toHaveLength(0);
  });

  it('falls back to the next provider (with its own model) when the first keeps failing with 5xx', async () => {
    a.respond = () => ({ status: 503 });
    b.script({ text: 'от беты' });
    const result = await service().complete(ask);
    expect(result).toMatchObject({ text: 'от беты', provider: 'beta', model: 'llama-3.1-8b-instant' });
    expect(a.requests).toHaveLength(2); // one try plus LLM_MAX_RETRIES=1
  });

  it('falls back on a timeout (a hanging provider)', async () => {
    a.respond = () => ({ hang: true });
    const result = await service({ LLM_MAX_RETRIES: '0' }).complete(ask);
    expect(result.provider).toBe('beta');
  });

  it('throws LlmUnavailableError with one reason per provider when all fail', async () => {
    a.respond = () => ({ status: 500, message: 'boom' });
    b.respond = () => ({ status: 429, message: 'slow down', retryAfterMs: 1 });
    const error = await service().complete(ask).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect((error as LlmUnavailableError).reasons).toEqual([expect.stringMatching(/^alpha \(gpt-4o-mini\): 500/), expect.stringMatching(/^beta \(llama-3.1-8b-instant\): 429/)]);
  });

  it('answers only a byte-identical request in the same scope from the cache', async () => {
    const llm = service();
    const same = { ...ask, cacheScope: 'chat:-200', chatId: -200, maxTokens: 100 };
    const first = await llm.complete({ ...same, requestKey: 'c-1' });
    const second = await llm.complete({ ...same, requestKey: 'c-2' });
    expect(second).toMatchObject({ text: first.text, cached: true, costUsd: 0, provider: 'alpha' });
    expect(a.requests).toHaveLength(1);
    const report = await new UsageReportRepository(prisma).chatReport(-200, { tz: 'Europe/Moscow' });
    expect(report.models).toEqual([expect.objectContaining({ model: 'gpt-4o-mini', requests: 2, cacheHits: 1 })]);
    // Anything else sent differently is a new request: scope, parameters, a role, one character, the model.
    const variants = [
      { ...same, cacheScope: 'chat:-201' },
      { ...same, maxTokens: 101 },
      { ...same, temperature: 0.2 },
      { ...same, messages: [{ role: 'system' as const, content: 'Привет?' }] },
      { ...same, messages: [{ role: 'user' as const, content: 'Привет!' }] },
      { ...same, messages: [{ role: 'system' as const, content: '' }, ...same.messages] },
    ];
    for (const variant of variants) expect((await llm.complete(variant)).cached).toBe(false);
    expect(a.requests).toHaveLength(1 + variants.length);
    expect((await service({ CHAT_MODEL: 'gpt-4.1-mini' }).complete(same)).cached).toBe(false);
    expect((await llm.complete({ ...same, cacheScope: undefined })).cached).toBe(false);
    expect(a.requests).toHaveLength(3 + variants.length);
  });

  it('a fallback provider’s answer is cached under the request it received', async () => {
    a.respond = () => ({ status: 503 });
    const llm = service({ LLM_MAX_RETRIES: '0' });
    const request = { ...ask, messages: [{ role: 'user' as const, content: 'fallback?' }], cacheScope: 'chat:-300' };
    expect(await llm.complete(request)).toMatchObject({ provider: 'beta', cached: false });
    expect(await llm.complete(request)).toMatchObject({ provider: 'beta', model: 'llama-3.1-8b-instant', cached: true });
    expect(b.requests).toHaveLength(1);
  });

  it('records a requestKey once', async () => {
    const llm = service();
    await llm.complete({ ...ask, requestKey: 'dup' });
    await llm.complete({ ...ask, requestKey: 'dup' });
    const client = new Client({ connectionString: fixture.db.url });
    await client.connect();
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM "LlmUsage" WHERE "requestKey" = 'dup'`);
    await client.end();
    expect(rows[0].n).toBe(1);
  });
});

describe('LlmService.stream against the fake provider streaming server-sent events', () => {
  const a = new FakeLlmServer();
  const b = new FakeLlmServer();
  const prefix = uniquePrefix('kllms');
  let redis: IORedis;
  let fixture: TestPrisma;
  let prisma: PrismaService;

  const service = () => {
    const settings = readLlmSettings({
      LLM_PROVIDERS: 'alpha,beta',
      LLM_ALPHA_BASE_URL: a.baseUrl,
      LLM_ALPHA_API_KEY: 'sk-alpha',
      LLM_BETA_BASE_URL: b.baseUrl,
      LLM_BETA_API_KEY: 'sk-beta',
      LLM_TIMEOUT_MS: '2000',
      LLM_MAX_RETRIES: '0',
    });
    return new LlmService(withRegistryPrices(settings, readModelSeed(settings.modelsPath)), { cache: new CompletionCache(redis, prefix, settings.cacheTtlSeconds), usage: new PrismaUsageRecorder(prisma) });
  };
  const usageRow = async (key: string) =>
    (await prisma.$queryRaw<Array<{ promptTokens: number; completionTokens: number; purpose: string; cached: boolean }>>`
      SELECT "promptTokens", "completionTokens", purpose, cached FROM "LlmUsage" WHERE "requestKey" = ${key}`)[0];

  beforeAll(async () => {
    await Promise.all([a.start(), b.start()]);
    redis = new IORedis(TEST_REDIS_URL);
    fixture = await createTestPrisma({ poolSize: 2 });
    prisma = fixture.prisma;
  });
  afterEach(() => {
    a.reset();
    b.reset();
  });
  afterAll(async () => {
    await Promise.all([a.stop(), b.stop()]);
    await fixture.close();
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('delivers the pieces in order as they arrive and records the usage of the last chunk', async () => {
    a.script({ text: 'раз два три', chunks: ['раз ', 'два ', 'три'], chunkDelayMs: 30, usage: { prompt_tokens: 11, completion_tokens: 3 } });
    const arrivals: Array<[string, number]> = [];
    const result = await service().stream({ ...ask, requestKey: 's-1', maxTokens: 20 }, (piece) => void arrivals.push([piece, performance.now()]));
    expect(arrivals.map(([piece]) => piece)).toEqual(['раз ', 'два ', 'три']);
    expect(arrivals[2][1] - arrivals[0][1]).toBeGreaterThanOrEqual(40);
    expect(result).toMatchObject({ text: 'раз два три', provider: 'alpha', promptTokens: 11, completionTokens: 3, cached: false });
    expect(a.requests[0].body).toMatchObject({ stream: true, stream_options: { include_usage: true }, max_tokens: 20 });
    expect(await usageRow('s-1')).toEqual({ promptTokens: 11, completionTokens: 3, purpose: 'test', cached: false });
  });

  it('falls back before the first piece, but not after part of the answer was delivered', async () => {
    a.script({ status: 500 });
    b.script({ text: 'от беты' });
    const pieces: string[] = [];
    expect((await service().stream(ask, (p) => void pieces.push(p))).provider).toBe('beta');
    expect(pieces.join('')).toBe('от беты');

    a.script({ text: 'один два три четыре', cutAfterChunks: 2 });
    const partial: string[] = [];
    const error = await service().stream(ask, (p) => void partial.push(p)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(partial).toEqual(['один ', 'два ']);
    expect(b.requests).toHaveLength(1);
  });

  it('uses an explicit model on every provider and serves a cache hit as one piece', async () => {
    const llm = service();
    const first = await llm.stream({ ...ask, model: 'gpt-4o', cacheScope: 'api:k1' }, () => undefined);
    expect(first.model).toBe('gpt-4o');
    expect(a.requests[0].body.model).toBe('gpt-4o');
    const pieces: string[] = [];
    const again = await llm.stream({ ...ask, model: 'gpt-4o', cacheScope: 'api:k1', requestKey: 's-hit' }, (p) => void pieces.push(p));
    expect(again).toMatchObject({ cached: true, text: first.text, costUsd: 0 });
    expect(pieces).toEqual([first.text]);
    expect(a.requests).toHaveLength(1);
    expect(await usageRow('s-hit')).toMatchObject({ cached: true });
  });

  it('stops on abort, records what was generated and reports its cost', async () => {
    a.script({ text: 'a b c d e f g h', chunkDelayMs: 40 });
    const controller = new AbortController();
    const error = await service()
      .stream({ ...ask, requestKey: 's-abort', signal: controller.signal }, (piece) => {
        if (piece.startsWith('b')) controller.abort();
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmAbortedError);
    expect((error as LlmAbortedError).partial.text).toBe('a b ');
    expect((error as LlmAbortedError).partial.costUsd).toBeGreaterThan(0);
    expect(b.requests).toHaveLength(0);
    expect((await usageRow('s-abort')).completionTokens).toBe(countTokens('a b ', 'gpt-4o-mini'));
  });

  it('prices the worst case for the model a request names, else the dearest the chain may use', () => {
    const llm = service();
    const messages = [{ role: 'user' as const, content: 'hello world' }];
    const prompt = countMessagesTokens(messages, 'gpt-4o');
    expect(llm.worstCaseUsd({ role: 'chat', model: 'gpt-4o', messages, maxTokens: 1000 })).toBeCloseTo((prompt * 2.5 + 1000 * 10) / 1e6, 10);
    // Without an explicit model: the dearest of the providers' chat models (both gpt-4o-mini here).
    expect(llm.worstCaseUsd({ role: 'chat', messages, maxTokens: 1000 })).toBeCloseTo((countMessagesTokens(messages, 'gpt-4o-mini') * 0.15 + 1000 * 0.6) / 1e6, 10);
  });
});

describe('LLM settings, tokens and prices', () => {
  it('names the wrong variable', () => {
    expect(() => readLlmSettings({ LLM_PROVIDERS: 'mine' })).toThrow(new ConfigError('Invalid configuration: LLM_MINE_BASE_URL: required for provider "mine"'));
    expect(() => readLlmSettings({ LLM_PROVIDERS: 'groq', LLM_GROQ_BASE_URL: 'ftp://x' })).toThrow(/LLM_GROQ_BASE_URL: expected an http\(s\) URL/);
    expect(() => readLlmSettings({ LLM_PRICES: '{"m":1}' })).toThrow(/LLM_PRICES: expected JSON/);
  });

  it('uses known base URLs and keeps only configured providers, in order', () => {
    const settings = readLlmSettings({ LLM_PROVIDERS: 'openai,groq,ollama', LLM_GROQ_API_KEY: 'gsk', CHAT_MODEL: 'x', LLM_PRICES: '{"x":{"input":1,"output":2}}' });
    expect(settings.providers.map((p) => [p.name, p.baseUrl, p.chatModel])).toEqual([
      ['groq', 'https://api.groq.com/openai/v1', 'x'],
      ['ollama', 'http://127.0.0.1:11434/v1', 'x'],
    ]);
    expect(costUsd(settings.prices, 'x', 1_000_000, 500_000)).toBe(2);
    expect(costUsd(settings.prices, 'unknown', 10, 10)).toBe(0);
    // LLM_PRICES overrides the registry's prices and extends them.
    const priced = withRegistryPrices(settings, [{ id: 'x', inputUsdPerM: 5, outputUsdPerM: 5 }, { id: 'y', inputUsdPerM: 1, outputUsdPerM: 1 }]);
    expect(priced.prices).toEqual({ x: { input: 1, output: 2 }, y: { input: 1, output: 1 } });
  });

  it('counts and truncates tokens with gpt-tokenizer, never above the limit', () => {
    expect(countTokens('hello world', 'gpt-4o-mini')).toBe(2);
    const long = 'Кракен знает всё про этот чат. '.repeat(100);
    const cut = truncateToTokens(long, 'gpt-4o-mini', 20);
    expect(cut.endsWith('…')).toBe(true);
    expect(countTokens(cut, 'gpt-4o-mini')).toBeLessThanOrEqual(20);
    expect(truncateToTokens('short', 'gpt-4o-mini', 20)).toBe('short');
  });
});
