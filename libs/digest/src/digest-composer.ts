import type { BotLanguage } from '@kraken/chat';
import type { PrismaService } from '@kraken/db';
import { LlmBudgetExceededError, LlmNotConfiguredError, LlmUnavailableError, type LlmMessage, type LlmService } from '@kraken/llm';
import { bestMemesOfMonth, channelPostLink, type BestMeme } from '@kraken/memes';
import { formatMonth, MonthlyStatsQuery, previousMonth, type Month, type MonthlyStats } from '@kraken/stats';
import { Logger } from '@nestjs/common';
import { renderActivityChart } from './activity-chart';
import { dailyActivity } from './daily-activity';
import { collectMaterial, renderMaterial } from './digest-material';
import { renderDigestPost } from './digest-post';
import { digestMessages, retryMessages } from './digest-prompt';
import { DIGEST_TEXTS, monthLabel, type FallbackReason } from './digest-texts';
import { fallbackHeadlines } from './fallback-headlines';
import { parseHeadlines } from './headline-parser';
import { DigestHeadlineStore, headlineRequestHash } from './headline-store';

/** Best memes listed in the post. */
export const POST_MEMES = 10;
/** A media group holds 2-10 items (https://core.telegram.org/bots/api#sendmediagroup): the chart and up to 9 memes. */
export const ALBUM_MEMES = 9;

/** How the composer works. */
export interface DigestSettings {
  /** KRAKEN_TIMEZONE: months and days are cut in it. */
  tz: string;
  language: BotLanguage;
  /** The headline prompt (loadDigestPrompt). */
  prompt: string;
  /** DIGEST_PROMPT_BUDGET_TOKENS. */
  budgetTokens: number;
  /** DIGEST_MAX_TOKENS. */
  maxTokens: number;
}

/** A meme of the media group: photos and videos only, as albums cannot hold GIFs (animations). */
export interface AlbumMeme {
  kind: 'photo' | 'video';
  fileId: string;
}

/** A composed digest, JSON-safe so it can be stored in the Digest row and published as is later. */
export interface DigestContent {
  chatId: number;
  /** `YYYY-MM`. */
  month: string;
  /** Caption of the chart (Telegram HTML). */
  caption: string;
  /** The text post's messages (Telegram HTML, each ≤ 4,096 characters). */
  parts: string[];
  /** Ten headlines; none for a month without messages. */
  headlines: string[];
  /** `llm` (asked now, or reused from an identical earlier request), `fallback` (from the numbers), `none` (a month without messages). */
  headlinesSource: HeadlinesSource;
  fallbackReason?: FallbackReason;
  albumMemes: AlbumMeme[];
  /** The activity chart, PNG bytes in base64. */
  chartPng: string;
  stats: MonthlyStats;
}

/** Where a digest's headlines came from. */
export type HeadlinesSource = 'llm' | 'fallback' | 'none';

/** Headlines and where they came from. */
interface Headlines {
  headlines: string[];
  source: HeadlinesSource;
  fallbackReason?: FallbackReason;
}

/**
 * Composes a chat's monthly digest: the month's statistics (MonthlyStatsQuery) with the month before
 * for the changes, ten headlines from DIGEST_MODEL (LlmService, role `digest`) written from the
 * month's material within the token budget, the best memes, and the activity chart.
 *
 * Headlines: a month without messages gets none (the LLM is not asked; the post says the month was
 * silent). Otherwise, when the same request (model, token cap, material and prompt: the same month
 * and data) was answered before — e.g. by the preview of the digest now being published — its stored
 * headlines are reused (DigestHeadlineStore) and no LLM call is made. Else the answer is parsed by
 * parseHeadlines; an unreadable answer gets one retry asking to fix the format, an unavailable LLM one
 * more try; after that, or with no LLM configured, headlines are built from the numbers and the post
 * says so. Headlines the LLM wrote are stored for reuse.
 */
export class DigestComposer {
  private readonly logger = new Logger(DigestComposer.name);
  private readonly stats: MonthlyStatsQuery;
  private readonly stored: DigestHeadlineStore;

  /** @param llm the LLM client; null (or one with no provider) means fallback headlines. */
  constructor(
    private readonly prisma: PrismaService,
    private readonly llm: LlmService | null,
    private readonly settings: DigestSettings,
  ) {
    this.stats = new MonthlyStatsQuery(prisma);
    this.stored = new DigestHeadlineStore(prisma);
  }

  /**
   * Composes the digest of `chatId` for `month`.
   * @param requestKey idempotency key of the LLM usage rows (`<key>-a1`, `<key>-a2`), e.g. the job id
   * @throws the database error; LLM failures never throw (they lead to the fallback)
   */
  async compose(chatId: number, month: Month, requestKey: string): Promise<DigestContent> {
    const { tz, language } = this.settings;
    const stats = await this.stats.compute(chatId, month, tz);
    const prev = await this.stats.compute(chatId, previousMonth(month), tz);
    const chat = await this.prisma.chat.findUnique({ where: { id: BigInt(chatId) } });
    const chatTitle = chat?.title ?? null;
    const headlines = await this.headlines(chatId, month, stats, prev.messages, chatTitle, requestKey);
    const memes = await bestMemesOfMonth(this.prisma, chatId, month, tz, POST_MEMES);
    const post = renderDigestPost({
      language,
      month,
      chatTitle,
      stats,
      messagesPrev: prev.messages,
      membersPrev: prev.members.end,
      headlines: headlines.headlines,
      fallbackReason: headlines.fallbackReason,
      bestMemes: await this.postMemes(memes),
    });
    const t = DIGEST_TEXTS[language];
    const chart = renderActivityChart(await dailyActivity(this.prisma, chatId, month, tz), {
      title: t.chartTitle(monthLabel(language, month)),
      messages: t.chartMessages,
      active: t.chartActive,
    });
    return {
      chatId,
      month: formatMonth(month),
      caption: post.caption,
      parts: post.parts,
      headlines: headlines.headlines,
      headlinesSource: headlines.source,
      ...(headlines.fallbackReason ? { fallbackReason: headlines.fallbackReason } : {}),
      albumMemes: memes
        .filter((m): m is BestMeme & { kind: AlbumMeme['kind'] } => m.kind !== 'animation')
        .slice(0, ALBUM_MEMES)
        .map((m) => ({ kind: m.kind, fileId: m.fileId })),
      chartPng: chart.toString('base64'),
      stats,
    };
  }

  private async headlines(chatId: number, month: Month, stats: MonthlyStats, messagesPrev: number, chatTitle: string | null, requestKey: string): Promise<Headlines> {
    const { language, maxTokens } = this.settings;
    if (stats.messages === 0) return { headlines: [], source: 'none' };
    const fallback = (reason: FallbackReason): Headlines => ({ headlines: fallbackHeadlines(stats, messagesPrev, language), source: 'fallback', fallbackReason: reason });
    if (!this.llm?.isConfigured()) return fallback('not-configured');
    const model = this.llm.modelFor('digest');
    const material = renderMaterial(await collectMaterial(this.prisma, chatId, month, this.settings.tz), {
      language,
      month,
      chatTitle,
      stats,
      messagesPrev,
      model,
      budgetTokens: this.settings.budgetTokens,
    });
    const first = digestMessages(this.settings.prompt, material);
    const monthText = formatMonth(month);
    const hash = headlineRequestHash({ model, maxTokens, messages: first });
    const reused = await this.stored.find(chatId, monthText, hash);
    if (reused) {
      this.logger.log({ chatId, month: monthText }, 'digest headlines reused from an identical earlier request');
      return { headlines: reused, source: 'llm' };
    }
    let messages: LlmMessage[] = first;
    let reason: FallbackReason = 'unavailable';
    for (const attempt of [1, 2]) {
      try {
        const result = await this.llm.complete({
          role: 'digest',
          messages,
          maxTokens,
          chatId,
          purpose: 'digest',
          requestKey: `${requestKey}-a${attempt}`,
        });
        const parsed = parseHeadlines(result.text);
        if (parsed) {
          await this.stored.save(chatId, monthText, hash, parsed);
          return { headlines: parsed, source: 'llm' };
        }
        this.logger.warn({ chatId, attempt }, 'digest headlines: the answer has no 10 headlines');
        reason = 'unparsable';
        messages = retryMessages(first, result.text, language);
      } catch (error) {
        if (error instanceof LlmNotConfiguredError) return fallback('not-configured');
        if (error instanceof LlmBudgetExceededError) {
          this.logger.warn({ chatId }, `digest headlines: ${error.message}`);
          return fallback('unavailable');
        }
        if (!(error instanceof LlmUnavailableError)) throw error;
        this.logger.warn({ chatId, attempt }, `digest headlines: ${error.message}`);
        reason = 'unavailable';
        messages = first;
      }
    }
    return fallback(reason);
  }

  /** Best memes with links to their channel posts (public channels by @username, known from the Chat table). */
  private async postMemes(memes: BestMeme[]) {
    const channels = await this.prisma.chat.findMany({ where: { id: { in: [...new Set(memes.map((m) => BigInt(m.channelChatId)))] } } });
    const usernames = new Map(channels.map((c) => [Number(c.id), c.username]));
    return memes.map((m) => ({
      authorName: m.authorName,
      link: channelPostLink(m.channelChatId, m.channelMessageId, usernames.get(m.channelChatId)),
      reactions: m.reactions,
    }));
  }
}
