import { chatKeys, claimNotice } from '@kraken/chat';
import type { DigestCommandJob } from '@kraken/contracts';
import { DigestComposer, DIGEST_TEXTS, isFinishedMonth, monthLabel, type DigestTexts } from '@kraken/digest';
import { formatMonth, monthOf, parseMonth, previousMonth, type Month } from '@kraken/stats';
import { ChatAdmins, OutboxCallFailedError, OutboxService } from '@kraken/outbox';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job } from 'bullmq';
import type { RedisClient } from '@kraken/redis';
import { DIGEST_REDIS } from '../digest-worker.providers';
import type { DigestWorkerEnv } from '../digest-worker.env';
import { DigestPublisher, type PublishOutcome } from './digest-publisher';
import { DigestSender } from './digest-sender';

/** What a `/digest` command did. */
export type CommandOutcome = 'usage' | 'not-configured' | 'admins-only' | 'refused-silently' | 'preview-sent' | 'preview-blocked' | PublishOutcome;

/** A `/digest` command's arguments. */
interface DigestArgs {
  action: 'preview' | 'publish';
  month: Month;
  /** `--force` (publish only): post again a month already published or skipped. */
  force: boolean;
}

/** `/digest <action> [YYYY-MM] [--force]` read from the command's arguments; null when they do not fit. */
function parseArgs(args: string, now: Date, tz: string): DigestArgs | null {
  const [action, ...rest] = args.trim().split(/\s+/);
  if (action !== 'preview' && action !== 'publish') return null;
  const force = rest.includes('--force');
  const others = rest.filter((word) => word !== '--force');
  if (others.length > 1 || (force && action !== 'publish') || rest.length - others.length > 1) return null;
  try {
    return { action, month: others[0] ? parseMonth(others[0]) : previousMonth(monthOf(now, tz)), force };
  } catch {
    return null;
  }
}

/**
 * Executes `/digest preview|publish [YYYY-MM] [--force]` (no month: the previous month in
 * KRAKEN_TIMEZONE) for admins of a chat in DIGEST_CHATS (getChatAdministrators, cached; an anonymous
 * admin posting as the group counts). Sent in private, the command means the only configured chat,
 * when there is one. Only finished months are accepted: the current or a future month is refused
 * before anything is composed or stored.
 * - `preview` composes the digest and sends it only to the asker, in private (Telegram refuses when
 *   the asker never started the bot: the command is then answered with how to fix it); its LLM
 *   headlines are stored, so publishing the same month and data afterwards reuses them;
 * - `publish` publishes it now (DigestPublisher: once, whoever else tries); with `--force`, a month
 *   already published (or skipped as empty) is posted again as a new revision recording the admin.
 * Answers go to the command's chat as replies (outbox job ids `<job id>-r`). Refusals (a chat without
 * a digest, not an admin) go to one user at most once per chat per CHAT_REFUSAL_WINDOW_SECONDS, so a
 * flood of `/digest` gets one answer; the usage help is only for admins (checked first).
 */
@Injectable()
export class DigestCommandHandler {
  constructor(
    private readonly admins: ChatAdmins,
    private readonly composer: DigestComposer,
    private readonly publisher: DigestPublisher,
    private readonly sender: DigestSender,
    private readonly outbox: OutboxService,
    private readonly config: ConfigService<DigestWorkerEnv, true>,
    @Inject(DIGEST_REDIS) private readonly redis: RedisClient,
  ) {}

  /**
   * Handles one command.
   * @param signal the run's JobRun.signal (see PublishOptions.signal)
   * @throws database, LLM-less composer and outbox errors (retried)
   */
  async handle(data: DigestCommandJob, job: Job, signal?: AbortSignal, now = new Date()): Promise<CommandOutcome> {
    const language = this.config.get('BOT_LANGUAGE', { infer: true });
    const t = DIGEST_TEXTS[language];
    const reply = async (html: string, outcome: CommandOutcome): Promise<CommandOutcome> => {
      await this.reply(data, html, `${job.id}-r`);
      return outcome;
    };
    const refuse = async (html: string, outcome: CommandOutcome): Promise<CommandOutcome> => {
      const marker = chatKeys.notice(this.config.get('QUEUE_PREFIX', { infer: true }), 'refusal', data.chat.id, data.from.id);
      const owner = `${job.id}-r`;
      if (!(await claimNotice(this.redis, marker, owner, this.config.get('CHAT_REFUSAL_WINDOW_SECONDS', { infer: true })))) return 'refused-silently';
      return reply(html, outcome);
    };
    const chats = this.config.get('DIGEST_CHATS', { infer: true });
    const chatId = data.chat.type === 'private' ? (chats.length === 1 ? chats[0] : undefined) : data.chat.id;
    if (chatId === undefined) return refuse(t.privateNeedsChat, 'not-configured');
    if (!chats.includes(chatId)) return refuse(t.notConfigured, 'not-configured');
    const isAdmin = data.asChat ? data.from.id === chatId : await this.admins.isAdmin(chatId, data.from.id, signal);
    if (!isAdmin) return refuse(t.adminsOnly, 'admins-only');
    const tz = this.config.get('KRAKEN_TIMEZONE', { infer: true });
    const args = parseArgs(data.args, now, tz);
    if (!args) return reply(t.usage, 'usage');
    const label = monthLabel(language, args.month);
    if (!isFinishedMonth(args.month, now, tz)) return reply(t.notFinished(label), 'not-finished');
    if (args.action === 'preview') return this.preview(data, chatId, args.month, String(job.id), t, reply, signal);
    const monthText = formatMonth(args.month);
    const outcome = await this.publisher.publish(chatId, monthText, String(job.id), { now, signal, ...(args.force ? { forcedBy: data.from.id } : {}) });
    const texts: Record<PublishOutcome, string> = {
      published: t.published(label),
      republished: t.republished(label),
      'already-published': t.alreadyPublished(label),
      busy: t.busy(label),
      'not-finished': t.notFinished(label),
      skipped: t.skipped(label, monthText),
    };
    return reply(texts[outcome], outcome);
  }

  private async preview(
    data: DigestCommandJob,
    chatId: number,
    month: Month,
    key: string,
    t: DigestTexts,
    reply: (html: string, outcome: CommandOutcome) => Promise<CommandOutcome>,
    signal?: AbortSignal,
  ): Promise<CommandOutcome> {
    if (data.asChat) return reply(t.previewAnonymous, 'preview-blocked');
    const content = await this.composer.compose(chatId, month, `${key}-preview`);
    try {
      await this.sender.sendMedia(data.from.id, content, `${key}-pv-media`, signal);
      await this.sender.sendText(data.from.id, content, `${key}-pv-text`, signal);
    } catch (error) {
      if (!(error instanceof OutboxCallFailedError)) throw error;
      return reply(t.previewBlocked, 'preview-blocked');
    }
    if (data.chat.type === 'private') return 'preview-sent';
    return reply(t.previewSent(monthLabel(this.config.get('BOT_LANGUAGE', { infer: true }), month)), 'preview-sent');
  }

  private async reply(data: DigestCommandJob, html: string, jobId: string): Promise<void> {
    await this.outbox.send(
      {
        method: 'sendMessage',
        params: { chat_id: data.chat.id, text: html, parse_mode: 'HTML', reply_parameters: { message_id: data.messageId, allow_sending_without_reply: true } },
        chatId: data.chat.id,
        isMessage: true,
      },
      jobId,
    );
  }
}
