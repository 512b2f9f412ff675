import { ChatPolicyStore, ChatSettingsRepository, CHAT_TEXTS, escapeHtml, formatUsageReport } from '@kraken/chat';
import { QUESTION_POLICIES, type QuestionPolicy } from '@kraken/config';
import type { ChatCommandJob } from '@kraken/contracts';
import { PrismaService } from '@kraken/db';
import { UsageReportRepository } from '@kraken/llm';
import { ChatAdmins } from '@kraken/outbox';
import { monthOf, SendersRepository } from '@kraken/stats';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job } from 'bullmq';
import type { RedisClient } from '@kraken/redis';
import { ChatNotices } from './chat-notices';
import { CLOCK, WORKER_REDIS, type Clock } from './chat-worker.providers';
import type { LlmWorkerEnv } from './llm-worker.env';
import { ReplySender } from './reply-sender';

/**
 * Executes chat commands for admins (ChatAdmins: getChatAdministrators through the outbox, cached; in
 * a private chat the user is the admin of their own chat; an anonymous admin posting as the group is
 * one too):
 * - `/usage`: this month's (KRAKEN_TIMEZONE) LLM totals per model and the top users of the chat;
 * - `/policy [off|all|quiet]`: shows or sets the chat's question policy (PostgreSQL ChatSetting,
 *   mirrored to Redis for the gateway); an unknown value is named and the values are listed.
 * Replies go through the outbox with job ids `<job id>-r`. A non-admin is told "admins only" once per
 * chat per CHAT_REFUSAL_WINDOW_SECONDS; further refusals in that window are silent.
 */
@Injectable()
export class CommandJobHandler {
  private readonly policies: ChatPolicyStore;
  private readonly settings: ChatSettingsRepository;
  private readonly usageReports: UsageReportRepository;
  private readonly senders: SendersRepository;

  constructor(
    prisma: PrismaService,
    private readonly admins: ChatAdmins,
    private readonly sender: ReplySender,
    private readonly notices: ChatNotices,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
    @Inject(WORKER_REDIS) redis: RedisClient,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.policies = new ChatPolicyStore(redis, config.get('QUEUE_PREFIX', { infer: true }), config.get('CHAT_QUESTION_POLICY', { infer: true }));
    this.settings = new ChatSettingsRepository(prisma);
    this.usageReports = new UsageReportRepository(prisma);
    this.senders = new SendersRepository(prisma);
  }

  /**
   * Runs one command. @returns what was answered.
   * @param signal JobRun.signal: stops waiting for the admin check when the job was handed back
   * @throws database/outbox errors (retried)
   */
  async handle(data: ChatCommandJob, job: Job, signal?: AbortSignal): Promise<{ answered: 'usage' | 'policy' | 'admins-only' | 'refused-silently' }> {
    const { command, args, message } = data;
    const t = CHAT_TEXTS[this.config.get('BOT_LANGUAGE', { infer: true })];
    const target = { chatId: message.chat.id, messageId: message.messageId };
    const jobId = `${job.id}-r`;
    if (!(await this.isAdmin(data, signal))) {
      const told = await this.notices.refusal(target, message.sender?.id ?? 0, escapeHtml(t.adminsOnly), jobId);
      return { answered: told ? 'admins-only' : 'refused-silently' };
    }
    if (command === 'usage') {
      await this.sender.notify(target, await this.usage(message.chat.id), jobId);
      return { answered: 'usage' };
    }
    const wanted = args.trim().toLowerCase().split(/\s+/)[0] as QuestionPolicy;
    if (QUESTION_POLICIES.includes(wanted)) {
      await this.settings.setQuestionPolicy(message.chat.id, wanted);
      await this.policies.set(message.chat.id, wanted);
      await this.sender.notify(target, escapeHtml(t.policySet(t.policyLabels[wanted])), jobId);
    } else {
      const current = t.policyLabels[await this.policies.get(message.chat.id)];
      const text = wanted ? t.policyUnknown(wanted.slice(0, 32), t.policyLabels, current) : t.policyHelp(current);
      await this.sender.notify(target, escapeHtml(text), jobId);
    }
    return { answered: 'policy' };
  }

  /** Copies every ChatSetting policy into Redis (after a Redis loss the gateway sees them again). */
  async syncPolicies(): Promise<number> {
    const rows = await this.settings.questionPolicies();
    for (const row of rows) await this.policies.set(row.chatId, row.policy);
    return rows.length;
  }

  private async isAdmin({ message }: ChatCommandJob, signal?: AbortSignal): Promise<boolean> {
    if (message.chat.type === 'private') return true;
    const sender = message.sender;
    if (!sender) return false;
    if (sender.kind === 'chat') return sender.id === message.chat.id;
    return this.admins.isAdmin(message.chat.id, sender.id, signal);
  }

  private async usage(chatId: number): Promise<string> {
    const tz = this.config.get('KRAKEN_TIMEZONE', { infer: true });
    const now = new Date(this.clock());
    const report = await this.usageReports.chatReport(chatId, { tz, now });
    const names = await this.senders.names(report.topUsers.map((u) => u.userId));
    return formatUsageReport(this.config.get('BOT_LANGUAGE', { infer: true }), monthOf(now, tz), report, names);
  }
}
