import { z } from 'zod';
import { intFrom } from './env-fields';

const csv = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

/** A non-negative amount of US dollars; 0 means "no limit". */
const usd = z.coerce.number().nonnegative();

/** Provider names: lower-case letters, digits and `_`, so `LLM_<NAME>_*` variable names are predictable. */
const PROVIDER_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Base URLs of well-known OpenAI-compatible providers, used when `LLM_<NAME>_BASE_URL` is not set.
 * Sources: each provider's OpenAI-compatibility documentation.
 */
export const KNOWN_PROVIDER_BASE_URLS: Readonly<Record<string, string>> = {
  openai: 'https://api.openai.com/v1',
  groq: 'https://api.groq.com/openai/v1',
  gemini: 'https://generativelanguage.googleapis.com/v1beta/openai/',
  openrouter: 'https://openrouter.ai/api/v1',
  ollama: 'http://127.0.0.1:11434/v1',
};

/** Price of a model in USD per 1,000,000 tokens, input (prompt) and output (completion). */
export const ModelPriceSchema = z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() });
export type ModelPrice = z.infer<typeof ModelPriceSchema>;

/**
 * LLM_PRICES: prices (USD per 1M tokens) that override or extend the model registry's (table
 * LlmModel, seeded from LLM_MODELS_PATH; see @kraken/llm ModelRegistryRepository). Models missing from
 * both cost 0.
 */
const priceTable = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (!raw) return {};
    try {
      return z.record(z.string(), ModelPriceSchema).parse(JSON.parse(raw));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected JSON like {"gpt-4o-mini":{"input":0.15,"output":0.6}} (USD per 1M tokens)' });
      return z.NEVER;
    }
  });

/** One provider as read from `LLM_<NAME>_*` (before defaults): see llmEnv. */
export const LlmProviderEnvSchema = z.object({
  name: z.string(),
  baseUrl: z.string().optional(),
  apiKey: z.string().optional(),
  chatModel: z.string().optional(),
  digestModel: z.string().optional(),
});
export type LlmProviderEnv = z.infer<typeof LlmProviderEnvSchema>;

/** `LLM_<NAME>_<FIELD>`: the variable holding one setting of provider `name`. */
export const providerVariable = (name: string, field: 'BASE_URL' | 'API_KEY' | 'CHAT_MODEL' | 'DIGEST_MODEL'): string =>
  `LLM_${name.toUpperCase()}_${field}`;

/** Collects the `LLM_<NAME>_*` variables of the providers listed in LLM_PROVIDERS into LLM_PROVIDER_SETTINGS. */
function collectProviders(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const env = raw as Record<string, unknown>;
  const names = String(env.LLM_PROVIDERS ?? 'openai').split(',').map((s) => s.trim()).filter(Boolean);
  const read = (name: string, field: Parameters<typeof providerVariable>[1]) => {
    const value = env[providerVariable(name, field)];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const providers: LlmProviderEnv[] = names.map((name) => ({
    name,
    baseUrl: read(name, 'BASE_URL'),
    apiKey: read(name, 'API_KEY'),
    chatModel: read(name, 'CHAT_MODEL'),
    digestModel: read(name, 'DIGEST_MODEL'),
  }));
  return { ...env, LLM_PROVIDER_SETTINGS: providers };
}

/** Fails on providers whose base URL is missing (unknown name) or not an http(s) URL, naming the variable. */
function checkProviders(env: { LLM_PROVIDER_SETTINGS: LlmProviderEnv[] }, ctx: z.RefinementCtx): void {
  for (const provider of env.LLM_PROVIDER_SETTINGS) {
    const variable = providerVariable(provider.name, 'BASE_URL');
    if (provider.baseUrl === undefined) {
      if (!KNOWN_PROVIDER_BASE_URLS[provider.name]) ctx.addIssue({ code: 'custom', path: [variable], message: `required for provider "${provider.name}"` });
      continue;
    }
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(provider.baseUrl).protocol);
    } catch {
      ok = false;
    }
    if (!ok) ctx.addIssue({ code: 'custom', path: [variable], message: 'expected an http(s) URL such as https://api.groq.com/openai/v1' });
  }
}

/** The fixed LLM variables; LLM_PROVIDER_SETTINGS is filled from `LLM_<NAME>_*` by withLlmProviders. */
export const llmFields = z.object({
  LLM_PROVIDERS: csv('openai').pipe(z.array(z.string().regex(PROVIDER_NAME, 'expected names like openai,groq')).min(1)),
  LLM_PROVIDER_SETTINGS: z.array(LlmProviderEnvSchema),
  CHAT_MODEL: z.string().min(1).default('gpt-4o-mini'),
  DIGEST_MODEL: z.string().min(1).default('gpt-4o'),
  LLM_TIMEOUT_MS: intFrom(100, 30_000),
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  LLM_PRICES: priceTable,
  /** The model registry's seed file (absolute, or relative to the working directory). */
  LLM_MODELS_PATH: z.string().min(1).default('config/models.json'),
  LLM_CACHE_TTL_SECONDS: intFrom(0, 3600),
  LLM_BUDGET_CHAT_DAILY_USD: usd.default(1),
  LLM_BUDGET_CHAT_MONTHLY_USD: usd.default(10),
  LLM_BUDGET_DAILY_USD: usd.default(5),
  LLM_BUDGET_MONTHLY_USD: usd.default(50),
});

/**
 * Wraps an object schema that includes the LLM fields so that the per-provider variables
 * `LLM_<NAME>_BASE_URL` (default KNOWN_PROVIDER_BASE_URLS[name]), `LLM_<NAME>_API_KEY`,
 * `LLM_<NAME>_CHAT_MODEL` and `LLM_<NAME>_DIGEST_MODEL` (default CHAT_MODEL / DIGEST_MODEL) of every
 * name in LLM_PROVIDERS are collected into `LLM_PROVIDER_SETTINGS` and validated.
 */
export function withLlmProviders<S extends z.ZodObject<typeof llmFields.shape & z.ZodRawShape>>(schema: S) {
  return z.preprocess(collectProviders, schema.superRefine((env, ctx) => checkProviders(env as { LLM_PROVIDER_SETTINGS: LlmProviderEnv[] }, ctx)));
}

/**
 * LLM access (@kraken/llm): providers tried in the order of `LLM_PROVIDERS` (comma-separated names,
 * default `openai`), models, timeout, retries, price table, completion-cache TTL, and the spend
 * budgets in USD (`LLM_BUDGET_*`: per chat and overall, per day and per month in KRAKEN_TIMEZONE;
 * 0 = no limit), reserved before each call (see LlmBudget).
 */
export const llmEnv = withLlmProviders(llmFields);

/** Languages of the bot's own texts (message catalogue in @kraken/chat). */
export const BOT_LANGUAGES = ['ru', 'en'] as const;

/**
 * When Kraken answers a message ending in "?" that does not address it: `off` never, `all` always,
 * `quiet` only when no human replied to it within CHAT_QUIET_SECONDS.
 */
export const QUESTION_POLICIES = ['off', 'all', 'quiet'] as const;
export type QuestionPolicy = (typeof QUESTION_POLICIES)[number];

/**
 * Who may talk to Kraken in private when ALLOWED_CHAT_IDS is set: `members` (users who wrote in an
 * allowed chat within ALLOWED_MEMBER_SEEN_DAYS), `all`, or `none`.
 */
export const PRIVATE_ACCESS_MODES = ['members', 'all', 'none'] as const;
export type PrivateAccessMode = (typeof PRIVATE_ACCESS_MODES)[number];

/**
 * Trigger policy, read by the gateway (which decides whether Kraken answers), and the limits it
 * applies (see docs/chat.md, "Limits and budgets").
 */
export const chatTriggerEnv = z.object({
  BOT_NAMES: csv('Кракен,Kraken').pipe(z.array(z.string().max(64)).min(1)),
  BOT_LANGUAGE: z.enum(BOT_LANGUAGES).default('ru'),
  CHAT_QUESTION_POLICY: z.enum(QUESTION_POLICIES).default('quiet'),
  CHAT_QUIET_SECONDS: intFrom(1, 60),
  CHAT_MIN_QUESTION_LENGTH: intFrom(1, 12),
  CHAT_QUESTION_COOLDOWN_SECONDS: intFrom(0, 120),
  CHAT_USER_LIMIT: intFrom(1, 5),
  CHAT_USER_WINDOW_SECONDS: intFrom(1, 600),
  CHAT_PRIVATE_USER_LIMIT: intFrom(1, 20),
  CHAT_PRIVATE_USER_WINDOW_SECONDS: intFrom(1, 600),
  CHAT_ANSWERS_PER_HOUR: intFrom(0, 60),
  CHAT_REFUSAL_WINDOW_SECONDS: intFrom(1, 600),
  ALLOWED_CHAT_IDS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^-\d{1,16}$/, 'expected comma-separated group ids such as -1001234567890').transform(Number))),
  ALLOWED_PRIVATE_CHATS: z.enum(PRIVATE_ACCESS_MODES).default('members'),
  ALLOWED_MEMBER_SEEN_DAYS: intFrom(1, 30),
});

/** The llm-worker's chat settings: context window, prompt budget, persona, notices. */
export const chatWorkerEnv = z.object({
  CHAT_CONTEXT_WINDOW_MINUTES: intFrom(1, 120),
  CHAT_CONTEXT_MAX_ENTRIES: intFrom(100, 20_000),
  /** Most bytes of context entries kept per chat (JSON plus 128 bytes each); 256 KiB holds far more than a prompt uses. */
  CHAT_CONTEXT_MAX_BYTES: intFrom(64 * 1024, 256 * 1024),
  CHAT_PROMPT_BUDGET_TOKENS: intFrom(200, 1500),
  CHAT_MESSAGE_MAX_TOKENS: intFrom(16, 200),
  CHAT_ANSWER_MAX_TOKENS: intFrom(16, 700),
  PERSONA_PATH: z.string().min(1).optional(),
  CHAT_APOLOGY_INTERVAL_SECONDS: intFrom(0, 600),
  CHAT_NOT_CONFIGURED_INTERVAL_SECONDS: intFrom(0, 3600),
  LLM_WORKER_CONCURRENCY: intFrom(1, 8),
  LLM_CONTEXT_CONCURRENCY: intFrom(1, 64),
  LLM_WORKER_LOCK_MS: intFrom(1000, 30_000),
});

export type LlmEnv = z.infer<typeof llmEnv>;
export type ChatTriggerEnv = z.infer<typeof chatTriggerEnv>;
