import { z } from 'zod';
import { intFrom } from './env-fields';


/**
 * A chat the bot posts to: a numeric Bot API chat id (`-100…` for supergroups and channels) or a
 * public channel's `@username` (https://core.telegram.org/bots/api#sendmessage, `chat_id`).
 * Numeric ids become numbers.
 */
export const chatTarget = z
  .string()
  .regex(/^(-?\d{1,16}|@[A-Za-z][A-Za-z0-9_]{3,31})$/, 'expected a chat id such as -1001234567890 or @channel_name')
  .transform((v): number | string => (/^-?\d+$/.test(v) ? Number(v) : v));

/** A numeric chat id (groups have no usernames the Bot API resolves reliably). */
const chatId = z.coerce.number().int().safe();

/** Who an approved meme's channel post credits: the author's name, their @username (else name), or nobody. */
export const MEME_CREDIT_MODES = ['name', 'username', 'none'] as const;
export type MemeCreditMode = (typeof MEME_CREDIT_MODES)[number];

/**
 * Read by the gateway: the hashtag that submits a meme from a group (a media message whose caption
 * carries it, or a message carrying it that replies to a media message). Default `#мем`.
 */
export const memeGatewayEnv = z.object({
  MEME_HASHTAG: z
    .string()
    .regex(/^#[\p{L}\p{N}_]{1,64}$/u, 'expected a hashtag such as #мем')
    .default('#мем'),
});

/**
 * The meme flow (digest-worker). Without MEME_MODERATION_CHAT_ID the flow is off and submissions are
 * answered with a "not enabled" note.
 * - MEME_MODERATION_CHAT_ID: the group where cards with Approve/Reject buttons go; its admins
 *   (getChatAdministrators, cached ADMIN_CACHE_SECONDS) decide.
 * - MEME_CHANNEL_ID: where approved memes are posted (id or @username); unset: approved memes are
 *   only recorded.
 * - MEME_CHAT_ID: the community chat private submissions are counted for (stats, digest); default
 *   the first of DIGEST_CHATS.
 * - MEME_CREDIT: credit line of the channel post (name | username | none).
 * - MEME_SUBMISSIONS_PER_DAY: submissions one user may make per day in KRAKEN_TIMEZONE (0 = no limit);
 *   over it the user is told once that day, then further submissions are dropped silently.
 */
export const memeEnv = z.object({
  MEME_MODERATION_CHAT_ID: chatId.optional(),
  MEME_CHANNEL_ID: chatTarget.optional(),
  MEME_CHAT_ID: chatId.optional(),
  MEME_CREDIT: z.enum(MEME_CREDIT_MODES).default('name'),
  MEME_WORKER_CONCURRENCY: intFrom(1, 8),
  MEME_SUBMISSIONS_PER_DAY: intFrom(0, 10),
});

/** What happens to the digest of a month without messages: posted saying so, or not posted. */
export const DIGEST_EMPTY_MONTH_MODES = ['post', 'skip'] as const;

/**
 * The monthly digest (digest-worker).
 * - DIGEST_CHATS: comma-separated chat ids whose digest the schedule creates (empty: none).
 * - DIGEST_CHANNEL_ID: where digests are published; default MEME_CHANNEL_ID, else the chat itself.
 * - DIGEST_CRON: cron pattern (seconds first) in KRAKEN_TIMEZONE; default 10:00 on the 1st.
 * - DIGEST_PROMPT_PATH: the headline prompt file; default `prompts/digest.<BOT_LANGUAGE>.md`.
 * - DIGEST_PROMPT_BUDGET_TOKENS: most tokens of the month's material sent to DIGEST_MODEL.
 * - DIGEST_MAX_TOKENS: most completion tokens of the answer.
 * - DIGEST_LOCK_MS: BullMQ job lock; a job of a killed worker is taken over after this long.
 * - DIGEST_CLAIM_LEASE_SECONDS: how long a digest claim of a vanished run blocks other runs.
 * - DIGEST_EMPTY_MONTH: a month without messages is never sent to DIGEST_MODEL; `post` publishes its
 *   digest saying the month was silent, `skip` publishes nothing (an admin's `--force` still can).
 */
export const digestEnv = z.object({
  DIGEST_CHATS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^-?\d{1,16}$/, 'expected comma-separated chat ids such as -1001234567890').transform(Number))),
  DIGEST_CHANNEL_ID: chatTarget.optional(),
  DIGEST_CRON: z.string().default('0 0 10 1 * *'),
  DIGEST_PROMPT_PATH: z.string().min(1).optional(),
  DIGEST_PROMPT_BUDGET_TOKENS: intFrom(300, 3000),
  DIGEST_MAX_TOKENS: intFrom(100, 1500),
  DIGEST_LOCK_MS: intFrom(1000, 30_000),
  DIGEST_CLAIM_LEASE_SECONDS: intFrom(10, 900),
  DIGEST_EMPTY_MONTH: z.enum(DIGEST_EMPTY_MONTH_MODES).default('post'),
});

export type MemeGatewayEnv = z.infer<typeof memeGatewayEnv>;
export type MemeEnv = z.infer<typeof memeEnv>;
export type DigestEnv = z.infer<typeof digestEnv>;
