import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { StatsWorkerEnv } from '@kraken/config';
import {
  ChatMemberFactSchema,
  ChatSeenFactSchema,
  MemberCountSnapshotSchema,
  MessageFactSchema,
  ReactionCountFactSchema,
  ReactionFactSchema,
  StatsJob,
} from '@kraken/contracts';
import { PrismaService } from '@kraken/db';
import { FactBatcher, FactWriter, purgeMessageTexts, recordMemberCount } from '@kraken/stats';
import { type Job, UnrecoverableError } from 'bullmq';
import type { z } from 'zod';
import { MemberCountScheduler } from './member-count.scheduler';

/**
 * Handles each `stats` job: validates its payload (an invalid one fails at once, never retried) and
 * writes its fact through the batcher, resolving when the fact is in PostgreSQL. Errors reach BullMQ,
 * which retries with back-off; every write is idempotent, so retries and duplicates count once.
 */
@Injectable()
export class StatsJobHandler {
  private readonly logger = new Logger(StatsJobHandler.name);
  readonly batcher: FactBatcher;

  constructor(
    private readonly prisma: PrismaService,
    private readonly config: ConfigService<StatsWorkerEnv, true>,
    private readonly memberCounts: MemberCountScheduler,
  ) {
    const writer = new FactWriter(prisma, config.get('TEXT_RETENTION_DAYS', { infer: true }));
    this.batcher = new FactBatcher((batch) => writer.write(batch), {
      maxBatch: config.get('STATS_BATCH_SIZE', { infer: true }),
      maxWaitMs: config.get('STATS_BATCH_MS', { infer: true }),
    });
  }

  /** Processes one job. @throws UnrecoverableError for an invalid payload or unknown job name. */
  async handle(job: Job): Promise<unknown> {
    switch (job.name) {
      case StatsJob.Message:
      case StatsJob.EditedMessage:
        return this.batcher.add({ kind: 'message', fact: parse(MessageFactSchema, job) });
      case StatsJob.ChatMember:
        return this.batcher.add({ kind: 'chatMember', fact: parse(ChatMemberFactSchema, job) });
      case StatsJob.ChatSeen:
        return this.batcher.add({ kind: 'chatSeen', fact: parse(ChatSeenFactSchema, job) });
      case StatsJob.ReactionCount:
        return this.batcher.add({ kind: 'reactionCount', fact: parse(ReactionCountFactSchema, job) });
      case StatsJob.Reaction:
        return this.batcher.add({ kind: 'reaction', fact: parse(ReactionFactSchema, job) });
      case StatsJob.MemberCountSnapshot:
        return this.recordSnapshot(job);
      case StatsJob.SnapshotMemberCounts:
        return this.memberCounts.snapshotAll();
      case StatsJob.PurgeTexts: {
        const cleared = await purgeMessageTexts(this.prisma, this.config.get('TEXT_RETENTION_DAYS', { infer: true }));
        this.logger.log({ cleared }, 'message texts purged');
        return { cleared };
      }
      default:
        throw new UnrecoverableError(`unknown stats job "${job.name}"`);
    }
  }

  /**
   * Flow parent: stores the member count its outbox child (getChatMemberCount) returned. When the child
   * failed permanently (e.g. the bot was removed from the chat) the day has no snapshot; that is logged.
   */
  private async recordSnapshot(job: Job): Promise<{ count: number | null }> {
    const { chatId, day } = parse(MemberCountSnapshotSchema, job);
    const [count] = Object.values(await job.getChildrenValues<number>());
    if (typeof count !== 'number') {
      const failures = Object.values(await job.getIgnoredChildrenFailures());
      this.logger.warn({ jobId: job.id, chatId, day }, `no member count for chat ${chatId}: ${failures.join('; ') || 'no result'}`);
      return { count: null };
    }
    await recordMemberCount(this.prisma, chatId, day, count);
    return { count };
  }
}

function parse<S extends z.ZodType>(schema: S, job: Job): z.infer<S> {
  const result = schema.safeParse(job.data);
  if (!result.success) {
    throw new UnrecoverableError(`invalid ${job.name} payload: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return result.data;
}
