import { parseConfig } from '@kraken/config';
import { readLlmSettings } from '@kraken/llm';
import { llmWorkerEnv } from './llm-worker.env';

const minimal = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/kraken', BOT_TOKEN: '1:abc' };

describe('llm-worker configuration', () => {
  it('starts without any LLM key, with the documented defaults', () => {
    const env = parseConfig(llmWorkerEnv, minimal);
    expect(env).toMatchObject({
      LLM_PROVIDERS: ['openai'],
      CHAT_MODEL: 'gpt-4o-mini',
      DIGEST_MODEL: 'gpt-4o',
      BOT_NAMES: ['Кракен', 'Kraken'],
      BOT_LANGUAGE: 'ru',
      CHAT_QUESTION_POLICY: 'quiet',
      CHAT_QUIET_SECONDS: 60,
      CHAT_CONTEXT_WINDOW_MINUTES: 120,
      CHAT_PROMPT_BUDGET_TOKENS: 1500,
      LLM_CACHE_TTL_SECONDS: 3600,
    });
    expect(readLlmSettings(env).providers).toEqual([]);
    expect(readLlmSettings(env).budgets).toEqual({ chatDailyUsd: 1, chatMonthlyUsd: 10, dailyUsd: 5, monthlyUsd: 50 });
    expect(env).toMatchObject({ CHAT_PRIVATE_USER_LIMIT: 20, CHAT_ANSWERS_PER_HOUR: 60, CHAT_REFUSAL_WINDOW_SECONDS: 600, ALLOWED_CHAT_IDS: [], ALLOWED_PRIVATE_CHATS: 'members' });
  });

  it('reads budgets and the allow-list, and names a wrong value', () => {
    const env = parseConfig(llmWorkerEnv, { ...minimal, LLM_BUDGET_DAILY_USD: '0', LLM_BUDGET_CHAT_DAILY_USD: '0.25', ALLOWED_CHAT_IDS: '-1001, -42' });
    expect(readLlmSettings(env).budgets).toMatchObject({ dailyUsd: 0, chatDailyUsd: 0.25 });
    expect(env.ALLOWED_CHAT_IDS).toEqual([-1001, -42]);
    expect(() => parseConfig(llmWorkerEnv, { ...minimal, LLM_BUDGET_MONTHLY_USD: '-1' })).toThrow(/LLM_BUDGET_MONTHLY_USD/);
    expect(() => parseConfig(llmWorkerEnv, { ...minimal, ALLOWED_CHAT_IDS: '12345' })).toThrow(/ALLOWED_CHAT_IDS/);
  });

  it('keeps the per-provider variables and names a wrong one', () => {
    const env = parseConfig(llmWorkerEnv, { ...minimal, LLM_PROVIDERS: 'groq,local', LLM_GROQ_API_KEY: 'gsk', LLM_LOCAL_BASE_URL: 'http://10.0.0.5:8000/v1' });
    expect(readLlmSettings(env).providers.map((p) => [p.name, p.baseUrl, p.apiKey])).toEqual([
      ['groq', 'https://api.groq.com/openai/v1', 'gsk'],
      ['local', 'http://10.0.0.5:8000/v1', undefined],
    ]);
    expect(() => parseConfig(llmWorkerEnv, { ...minimal, LLM_PROVIDERS: 'local' })).toThrow('LLM_LOCAL_BASE_URL: required for provider "local"');
    expect(() => parseConfig(llmWorkerEnv, { ...minimal, CHAT_QUESTION_POLICY: 'sometimes' })).toThrow(/CHAT_QUESTION_POLICY/);
  });
});
