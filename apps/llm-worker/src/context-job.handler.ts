import { contextEntryOf, ContextStore } from '@kraken/chat';
import { MessageFactSchema } from '@kraken/contracts';
import { Injectable } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';

/** Executes `chat-context` jobs: each message (or edit) goes into its chat's rolling context in Redis. */
@Injectable()
export class ContextJobHandler {
  constructor(private readonly context: ContextStore) {}

  /**
   * Stores one message. @returns the number of entries the chat's context holds now (0 for service messages).
   * @throws UnrecoverableError for an invalid payload; the Redis error otherwise (retried)
   */
  async handle(job: Job): Promise<number> {
    const parsed = MessageFactSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid context payload: ${parsed.error.message.slice(0, 300)}`);
    const entry = contextEntryOf(parsed.data);
    return entry ? this.context.add(parsed.data.chat.id, entry) : 0;
  }
}
