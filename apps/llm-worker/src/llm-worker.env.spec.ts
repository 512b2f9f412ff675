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
