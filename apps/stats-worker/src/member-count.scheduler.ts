import { Injectable, Logger } from '@nestjs/common';
import { redisConnection, redisTarget } from '@kraken/redis';
import { ConfigService } from '@nestjs/config';
import type { StatsWorkerEnv } from '@kraken/config';
import { DEFAULT_JOB_OPTIONS, QueueName, StatsJob } from '@kraken/contracts';
import { PrismaService } from '@kraken/db';
import { OutboxService } from '@kraken/outbox';
import { jobDescriptor } from '@kraken/queue';
import { dayOf, trackedChatIds } from '@kraken/stats';
import { FlowProducer } from 'bullmq';

/**
 * Daily member counts as BullMQ flows: for each tracked group chat, a `member-count-snapshot` parent in
 * the stats queue with an outbox child calling getChatMemberCount. Job ids carry chat and day, so a
 * repeated tick (or two workers) creates each day's flow once.
 */
@Injectable()
export class MemberCountScheduler {
  private readonly logger = new Logger(MemberCountScheduler.name);
  private flows: FlowProducer | undefined;

  constructor(
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxService,
    private readonly config: ConfigService<StatsWorkerEnv, true>,
  ) {}

  /** Creates today's flows; returns how many chats were scheduled. */
  async snapshotAll(now = new Date()): Promise<{ chats: number }> {
    const day = dayOf(now, this.config.get('KRAKEN_TIMEZONE', { infer: true }));
    const chatIds = await trackedChatIds(this.prisma);
    const prefix = this.config.get('QUEUE_PREFIX', { infer: true });
    this.flows ??= new FlowProducer({ connection: redisConnection(redisTarget(this.config), 'worker'), prefix });
    for (const chatId of chatIds) {
      const id = `mc-${chatId}-${day}`;
      await this.flows.add({
        ...jobDescriptor(QueueName.Stats, StatsJob.MemberCountSnapshot, { chatId, day }, { ...DEFAULT_JOB_OPTIONS, jobId: id }),
        children: [this.outbox.childJob({ method: 'getChatMemberCount', params: { chat_id: chatId }, chatId }, id)],
      });
    }
    this.logger.log({ chats: chatIds.length, day }, 'member-count snapshots scheduled');
    return { chats: chatIds.length };
  }

  async close(): Promise<void> {
    await this.flows?.close();
  }
}
