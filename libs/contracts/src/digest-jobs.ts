import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import { DEFAULT_JOB_OPTIONS } from './job-options';
import { ChatRefSchema } from './telegram-facts';

const id = z.number().int().safe();
const unixSeconds = z.number().int().nonnegative();
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM');

/** A Telegram user as far as memes need one: id, display name, optional @username. */
export const PersonSchema = z.object({ id, name: z.string().max(256), username: z.string().max(64).optional() });
export type Person = z.infer<typeof PersonSchema>;

/** Media kinds accepted as memes (Telegram sends GIFs as `animation`). */
export const MEME_KINDS = ['photo', 'video', 'animation'] as const;

/**
 * The file of a meme: `fileId` to send it again (valid for this bot in any chat) and `fileUniqueId`,
 * the same for the same file whoever sends it (https://core.telegram.org/bots/api#photosize), used
 * to refuse duplicates.
 */
export const MemeMediaSchema = z.object({
  kind: z.enum(MEME_KINDS),
  fileId: z.string().min(1).max(256),
  fileUniqueId: z.string().min(1).max(128),
});
export type MemeMedia = z.infer<typeof MemeMediaSchema>;

/** Longest caption of a media message: 1,024 characters (https://core.telegram.org/bots/api#sendphoto, `caption`). */
export const MEME_CAPTION_LIMIT = 1024;

/** How a meme was submitted: media sent to the bot in private, `/meme` as a reply, or the hashtag. */
export const MEME_SUBMISSION_VIAS = ['private', 'command', 'hashtag'] as const;

/**
 * A `submit` job. `mediaMessageId` is the message holding the media; `replyToMessageId` the message
 * the bot answers (the `/meme` or hashtag message, or the media message itself); `date` the Unix time
 * of the submitting message. `author` is credited (the media message's sender), `submitter` is told
 * the outcome (the one who sent the media or the command). `caption` is the media message's caption
 * (the meme hashtag removed), shown on the moderation card and the channel post.
 */
export const MemeSubmitJobSchema = z.object({
  updateId: z.number().int().nonnegative(),
  via: z.enum(MEME_SUBMISSION_VIAS),
  chat: ChatRefSchema,
  mediaMessageId: z.number().int().positive(),
  replyToMessageId: z.number().int().positive(),
  date: unixSeconds,
  submitter: PersonSchema,
  author: PersonSchema.nullable(),
  media: MemeMediaSchema,
  /** Telegram allows 0-1,024 caption characters (https://core.telegram.org/bots/api#message). */
  caption: z.string().max(MEME_CAPTION_LIMIT).optional(),
});
export type MemeSubmitJob = z.infer<typeof MemeSubmitJobSchema>;

/** Moderators' actions. */
export const MEME_ACTIONS = ['approve', 'reject'] as const;
export type MemeAction = (typeof MEME_ACTIONS)[number];

/**
 * A `decide` job: a button press (`callbackQueryId` and `memeId` set, from the callback data) or a
 * `/reject <reason>` command (`commandMessageId` set) replying to the card `cardMessageId` in `chatId`.
 */
export const MemeDecisionJobSchema = z.object({
  updateId: z.number().int().nonnegative(),
  action: z.enum(MEME_ACTIONS),
  moderator: PersonSchema,
  chatId: id,
  cardMessageId: z.number().int().positive(),
  memeId: z.number().int().positive().optional(),
  callbackQueryId: z.string().min(1).max(64).optional(),
  commandMessageId: z.number().int().positive().optional(),
  reason: z.string().max(512).optional(),
});
export type MemeDecisionJob = z.infer<typeof MemeDecisionJobSchema>;

/** A `monthly` tick: `month` overrides "the month before now" (manual re-runs). */
export const DigestMonthlyJobSchema = z.object({ month: month.optional() });
export type DigestMonthlyJob = z.infer<typeof DigestMonthlyJobSchema>;

/** A `publish` job: the chat and month (`YYYY-MM` in KRAKEN_TIMEZONE) of the digest. */
export const DigestPublishJobSchema = z.object({ chatId: id, month });
export type DigestPublishJob = z.infer<typeof DigestPublishJobSchema>;

/**
 * A `command` job: `/digest <args>` sent in `chat` as message `messageId` by `from` (or, for an
 * anonymous admin, by the chat itself: `asChat`). `args` is the raw text after the command
 * (`preview|publish [YYYY-MM]`), checked by the worker, which answers wrong usage.
 */
export const DigestCommandJobSchema = z.object({
  updateId: z.number().int().nonnegative(),
  args: z.string().max(256),
  chat: ChatRefSchema,
  messageId: z.number().int().positive(),
  from: PersonSchema,
  asChat: z.boolean(),
});
export type DigestCommandJob = z.infer<typeof DigestCommandJobSchema>;

/**
 * Options of the jobs the gateway derives from updates (`submit`, `decide`, `command`): Kraken's
 * defaults (8 attempts with back-off, kept a day so the update-derived job id dedupes redeliveries).
 */
export const UPDATE_JOB_OPTIONS: JobsOptions = { ...DEFAULT_JOB_OPTIONS };

/**
 * Options of `publish` jobs: 10 attempts, 30 s doubling (about 8.5 h in all), since a digest waits for
 * the outbox, which itself rides out Telegram outages for hours.
 */
export const DIGEST_JOB_OPTIONS: JobsOptions = { ...DEFAULT_JOB_OPTIONS, attempts: 10, backoff: { type: 'exponential', delay: 30_000 } };

/**
 * Job id of a `publish` job created by the schedule: one per chat and month, so ticks of several
 * workers (or a repeated tick) add it once while it is kept.
 */
export const digestPublishJobId = (chatId: number, monthText: string): string => `digest-${chatId}-${monthText}`;

/**
 * Callback data of a moderation button: `meme:a:<id>` / `meme:r:<id>` (Telegram allows 1-64 bytes,
 * https://core.telegram.org/bots/api#inlinekeyboardbutton).
 */
export const memeCallbackData = (action: MemeAction, memeId: number): string => `meme:${action === 'approve' ? 'a' : 'r'}:${memeId}`;

/** Reads callback data written by memeCallbackData; null for anything else. */
export function parseMemeCallbackData(data: string): { action: MemeAction; memeId: number } | null {
  const match = /^meme:([ar]):(\d{1,15})$/.exec(data);
  if (!match) return null;
  return { action: match[1] === 'a' ? 'approve' : 'reject', memeId: Number(match[2]) };
}
