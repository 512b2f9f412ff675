import { z } from 'zod';
import { intFrom } from './env-fields';
import { llmFields, withLlmProviders } from './chat.env';
import { baseEnv, databaseEnv } from './env.schema';
import { kbEnv } from './knowledge.env';

const usd = (fallback: number) => z.coerce.number().nonnegative().default(fallback);
const csv = z
  .string()
  .default('')
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

/** Smallest accepted JWT_SECRET, in bytes (UTF-8): HS256 keys should be at least as long as the hash (RFC 7518 §3.2). */
export const JWT_SECRET_MIN_BYTES = 32;

/**
 * The HTTP API (apps/api): port, tokens, protection and the API's LLM settings.
 * - API_PORT / API_HOST: where it listens (default 3100 on all interfaces).
 * - JWT_SECRET: HS256 key of access tokens, at least 32 bytes (secret; required).
 * - JWT_ACCESS_TTL_SECONDS: lifetime of an access token (default 15 min); REFRESH_TTL_DAYS: of a
 *   refresh token (default 30 days, renewed by each rotation).
 * - API_CORS_ORIGINS: comma-separated origins allowed by CORS; empty (default): CORS off.
 * - API_TRUST_PROXY: reverse proxies in front of the API whose X-Forwarded-For is trusted (0: none),
 *   so rate limits see the client's address.
 * - API_BODY_LIMIT_BYTES: largest JSON body (default 64 KB; larger: 413).
 * - LOGIN_LIMIT per LOGIN_WINDOW_SECONDS per email and address (default 5 per 15 min), and
 *   LOGIN_IP_LIMIT per window per address whatever the email; REGISTER_LIMIT per hour per address;
 *   ASK_LIMIT questions per ASK_WINDOW_SECONDS per user.
 * - API_MODELS: models a question may ask for (default CHAT_MODEL and DIGEST_MODEL); API_MAX_ANSWER_TOKENS.
 * - API_DAILY_BUDGET_USD / API_MONTHLY_BUDGET_USD: spend limits per account (days and months in
 *   KRAKEN_TIMEZONE), on top of LLM_BUDGET_*; 0 refuses every question.
 * - TELEGRAM_LINK_TTL_SECONDS: lifetime of a `/link` code.
 * - API_DOCS_ENABLED: serve Swagger UI at /docs and the document at /docs-json.
 */
export const apiFields = z.object({
  API_PORT: intFrom(0, 3100),
  API_HOST: z.string().default('0.0.0.0'),
  JWT_SECRET: z.string().refine((v) => Buffer.byteLength(v, 'utf8') >= JWT_SECRET_MIN_BYTES, `expected at least ${JWT_SECRET_MIN_BYTES} bytes (e.g. openssl rand -base64 48)`),
  JWT_ACCESS_TTL_SECONDS: z.coerce.number().int().min(30).max(24 * 3600).default(900),
  REFRESH_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  API_CORS_ORIGINS: csv.pipe(z.array(z.url({ protocol: /^https?$/, error: 'expected origins such as https://admin.example.com' }))),
  API_TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  API_BODY_LIMIT_BYTES: intFrom(1024, 65_536),
  LOGIN_LIMIT: intFrom(1, 5),
  LOGIN_WINDOW_SECONDS: intFrom(1, 900),
  LOGIN_IP_LIMIT: intFrom(1, 100),
  REGISTER_LIMIT: intFrom(1, 20),
  ASK_LIMIT: intFrom(1, 20),
  ASK_WINDOW_SECONDS: intFrom(1, 60),
  API_MODELS: csv,
  API_MAX_ANSWER_TOKENS: intFrom(16, 1000),
  API_DAILY_BUDGET_USD: usd(0.5),
  API_MONTHLY_BUDGET_USD: usd(5),
  TELEGRAM_LINK_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(600),
  API_DOCS_ENABLED: z.stringbool({ error: 'expected true or false' }).default(true),
});

/** Everything apps/api reads: shared settings, PostgreSQL, the LLM providers, the knowledge base (`/admin/kb`) and apiFields. */
export const apiEnv = withLlmProviders(baseEnv.merge(databaseEnv).merge(llmFields).merge(kbEnv).merge(apiFields));

export type ApiEnv = z.infer<typeof apiEnv>;
