import { z } from 'zod';
import { intFrom } from './env-fields';

const share = (fallback: number) => z.coerce.number().min(0).max(1).default(fallback);

/**
 * Recaps (`/recap`, "Кракен, что тут было?"), run by the llm-worker from the message texts stored in
 * PostgreSQL (kept TEXT_RETENTION_DAYS):
 * - RECAP_DEFAULT_HOURS: how far back a plain `/recap` reaches at most (since the asker's last message);
 * - RECAP_MAX_HOURS / RECAP_MAX_MESSAGES: upper bounds of `/recap 6h` and `/recap 200`;
 * - RECAP_INTERVAL_SECONDS: one recap per chat (or forum topic) per interval; requests within it get
 *   the cached recap (0: every request makes a new one);
 * - RECAP_PROMPT_BUDGET_TOKENS: most tokens of any one prompt (keep it below the model's context
 *   window); longer windows are summarised in chunks and the partial summaries merged (map-reduce);
 * - RECAP_MAX_TOKENS: most completion tokens of each summary;
 * - RECAP_MESSAGE_MAX_TOKENS: one message's text is cut to this many tokens in the prompt;
 * - RECAP_MAX_CALLS: most LLM requests one recap may make (the oldest chunks are dropped beyond it).
 */
export const recapEnv = z.object({
  RECAP_DEFAULT_HOURS: intFrom(1, 24),
  RECAP_MAX_HOURS: intFrom(1, 168),
  RECAP_MAX_MESSAGES: intFrom(10, 2000),
  RECAP_INTERVAL_SECONDS: intFrom(0, 600),
  RECAP_PROMPT_BUDGET_TOKENS: intFrom(1000, 6000),
  RECAP_MAX_TOKENS: intFrom(100, 900),
  RECAP_MESSAGE_MAX_TOKENS: intFrom(16, 120),
  RECAP_MAX_CALLS: intFrom(2, 12),
});

/**
 * The knowledge base (@kraken/kb):
 * - KB_CHUNK_TOKENS: target size of a searchable section (split on headings, then paragraphs);
 * - KB_MIN_SCORE: full-text score (0-1, share of the question's weighted terms found) a section needs
 *   to be used in an answer; below it the bot says it does not know;
 * - KB_STRONG_SCORE: score at which a question under the `quiet` policy is answered at once;
 * - KB_TOP_K / KB_PROMPT_TOKENS: most sections, and most tokens of them, put into an answer's prompt;
 * - KB_MAX_FILE_MB: largest file accepted (Telegram bots can download up to 20 MB);
 * - KB_EMBEDDINGS_MODEL (optional): an OpenAI-compatible embeddings model (e.g. text-embedding-3-small)
 *   of the first LLM provider; sections are then also embedded and stored with pgvector when the
 *   PostgreSQL server has the `vector` extension, and results are fused (reciprocal rank fusion);
 * - KB_MIN_SIMILARITY: cosine similarity at which a vector hit counts as found;
 * - KB_ADMIN_IDS: Telegram user ids allowed to add and remove documents for every chat from Telegram
 *   (a chat's own documents are managed by its admins; the CLI can do both).
 */
export const kbEnv = z.object({
  KB_CHUNK_TOKENS: intFrom(50, 300),
  KB_MIN_SCORE: share(0.3),
  KB_STRONG_SCORE: share(0.6),
  KB_TOP_K: intFrom(1, 3),
  KB_PROMPT_TOKENS: intFrom(100, 600),
  KB_MAX_FILE_MB: z.coerce.number().int().min(1).max(20).default(20),
  KB_EMBEDDINGS_MODEL: z.string().min(1).optional(),
  KB_MIN_SIMILARITY: share(0.5),
  KB_ADMIN_IDS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^\d{1,16}$/, 'expected comma-separated Telegram user ids').transform(Number))),
});

export type RecapEnv = z.infer<typeof recapEnv>;
export type KbEnv = z.infer<typeof kbEnv>;
