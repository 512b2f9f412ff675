import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { StatsWorkerEnv } from '@kraken/config';
import { QueueName, StatsJob, type MemberCountSnapshot } from '@kraken/contracts';
import { PrismaService } from '@kraken/db';
import { FactBatcher, FactWriter, purgeMessageTexts, recordMemberCount } from '@kraken/stats';
import { type JobHandlers } from '@kraken/queue';
import type { Job } from 'bullmq';
import { MemberCountScheduler } from './member-count.scheduler';

/**
 * Handles each `stats` job (its payload already validated by parseJob: an invalid one fails at once,
 * never retried): writes its fact through the batcher, resolving when the fact is in PostgreSQL. Errors reach BullMQ,
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

  /** The `stats` queue's handler map (payloads validated by parseJob before a handler runs). */
  handlers(): JobHandlers<typeof QueueName.Stats> {
    return {
      [StatsJob.Message]: (fact) => this.batcher.add({ kind: 'message', fact }),
      [StatsJob.EditedMessage]: (fact) => this.batcher.add({ kind: 'message', fact }),
      [StatsJob.ChatMember]: (fact) => this.batcher.add({ kind: 'chatMember', fact }),
      [StatsJob.ChatSeen]: (fact) => this.batcher.add({ kind: 'chatSeen', fact }),
      [StatsJob.ReactionCount]: (fact) => this.batcher.add({ kind: 'reactionCount', fact }),
      [StatsJob.Reaction]: (fact) => this.batcher.add({ kind: 'reaction', fact }),
      [StatsJob.MemberCountSnapshot]: (snapshot, { job }) => this.recordSnapshot(snapshot, job),
      [StatsJob.SnapshotMemberCounts]: () => this.memberCounts.snapshotAll(),
      [StatsJob.PurgeTexts]: async () => {
        const cleared = await purgeMessageTexts(this.prisma, this.config.get('TEXT_RETENTION_DAYS', { infer: true }));
        this.logger.log({ cleared }, 'message texts purged');
        return { cleared };
      },
    };
  }

  /**
   * Flow parent: stores the member count its outbox child (getChatMemberCount) returned. When the child
   * failed permanently (e.g. the bot was removed from the chat) the day has no snapshot; that is logged.
   */
  private async recordSnapshot({ chatId, day }: MemberCountSnapshot, job: Job): Promise<{ count: number | null }> {
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
