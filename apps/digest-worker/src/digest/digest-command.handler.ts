import { DigestCommandJobSchema, type DigestCommandJob } from '@kraken/contracts';
import { DigestComposer, DIGEST_TEXTS, monthLabel, type DigestTexts } from '@kraken/digest';
import { formatMonth, monthOf, parseMonth, previousMonth, type Month } from '@kraken/stats';
import { ChatAdmins } from '@kraken/outbox';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { UnrecoverableError, type Job } from 'bullmq';
import type { DigestWorkerEnv } from '../digest-worker.env';
import { OutboxCallError, OutboxCalls } from '../outbox-calls';
import { DigestPublisher, type PublishOutcome } from './digest-publisher';
import { DigestSender } from './digest-sender';

/** What a `/digest` command did. */
export type CommandOutcome = 'usage' | 'not-configured' | 'admins-only' | 'preview-sent' | 'preview-blocked' | PublishOutcome;

/** `/digest <action> [YYYY-MM]` read from the command's arguments; null when they do not fit. */
function parseArgs(args: string, now: Date, tz: string): { action: 'preview' | 'publish'; month: Month } | null {
  const [action, month, extra] = args.trim().split(/\s+/);
  if ((action !== 'preview' && action !== 'publish') || extra !== undefined) return null;
  try {
    return { action, month: month ? parseMonth(month) : previousMonth(monthOf(now, tz)) };
  } catch {
    return null;
  }
}

/**
 * Executes `/digest preview|publish [YYYY-MM]` (no month: the previous month in KRAKEN_TIMEZONE) for
 * admins of a chat in DIGEST_CHATS (getChatAdministrators, cached; an anonymous admin posting as the
 * group counts). Sent in private, the command means the only configured chat, when there is one.
 * - `preview` composes the digest and sends it only to the asker, in private (Telegram refuses when
 *   the asker never started the bot: the command is then answered with how to fix it);
 * - `publish` publishes it now (DigestPublisher: once, whoever else tries).
 * Answers go to the command's chat as replies (outbox job ids `<job id>-r`).
 */
@Injectable()
export class DigestCommandHandler {
  constructor(
    private readonly admins: ChatAdmins,
    private readonly composer: DigestComposer,
    private readonly publisher: DigestPublisher,
    private readonly sender: DigestSender,
    private readonly calls: OutboxCalls,
    private readonly config: ConfigService<DigestWorkerEnv, true>,
  ) {}

  /**
   * Handles one command.
   * @throws UnrecoverableError for an invalid payload; database, LLM-less composer and outbox errors otherwise (retried)
   */
  async handle(job: Job, now = new Date()): Promise<CommandOutcome> {
    const parsed = DigestCommandJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid command payload: ${parsed.error.message.slice(0, 300)}`);
    const data = parsed.data;
    const language = this.config.get('BOT_LANGUAGE', { infer: true });
    const t = DIGEST_TEXTS[language];
    const reply = async (html: string, outcome: CommandOutcome): Promise<CommandOutcome> => {
      await this.reply(data, html, `${job.id}-r`);
      return outcome;
    };
    const args = parseArgs(data.args, now, this.config.get('KRAKEN_TIMEZONE', { infer: true }));
    if (!args) return reply(t.usage, 'usage');
    const chats = this.config.get('DIGEST_CHATS', { infer: true });
    const chatId = data.chat.type === 'private' ? (chats.length === 1 ? chats[0] : undefined) : data.chat.id;
    if (chatId === undefined) return reply(t.privateNeedsChat, 'not-configured');
    if (!chats.includes(chatId)) return reply(t.notConfigured, 'not-configured');
    const isAdmin = data.asChat ? data.from.id === chatId : await this.admins.isAdmin(chatId, data.from.id);
    if (!isAdmin) return reply(t.adminsOnly, 'admins-only');
    const label = monthLabel(language, args.month);
    if (args.action === 'preview') return this.preview(data, chatId, args.month, String(job.id), t, reply);
    const outcome = await this.publisher.publish(chatId, formatMonth(args.month), String(job.id));
    const text = outcome === 'published' ? t.published(label) : outcome === 'already-published' ? t.alreadyPublished(label) : t.busy(label);
    return reply(text, outcome);
  }

  private async preview(
    data: DigestCommandJob,
    chatId: number,
    month: Month,
    key: string,
    t: DigestTexts,
    reply: (html: string, outcome: CommandOutcome) => Promise<CommandOutcome>,
  ): Promise<CommandOutcome> {
    if (data.asChat) return reply(t.previewAnonymous, 'preview-blocked');
    const content = await this.composer.compose(chatId, month, `${key}-preview`);
    try {
      await this.sender.sendMedia(data.from.id, content, `${key}-pv-media`);
      await this.sender.sendText(data.from.id, content, `${key}-pv-text`);
    } catch (error) {
      if (!(error instanceof OutboxCallError)) throw error;
      return reply(t.previewBlocked, 'preview-blocked');
    }
    if (data.chat.type === 'private') return 'preview-sent';
    return reply(t.previewSent(monthLabel(this.config.get('BOT_LANGUAGE', { infer: true }), month)), 'preview-sent');
  }

  private async reply(data: DigestCommandJob, html: string, jobId: string): Promise<void> {
    await this.calls.send(
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
