import { contextEntryOf, ContextStore } from '@kraken/chat';
import type { MessageFact } from '@kraken/contracts';
import { Injectable } from '@nestjs/common';

/** Executes `chat-context` jobs: each message (or edit) goes into its chat's rolling context in Redis. */
@Injectable()
export class ContextJobHandler {
  constructor(private readonly context: ContextStore) {}

  /**
   * Stores one message. @returns the number of entries the chat's context holds now (0 for service messages).
   * @throws the Redis error (retried)
   */
  async handle(fact: MessageFact): Promise<number> {
    const entry = contextEntryOf(fact);
    return entry ? this.context.add(fact.chat.id, entry) : 0;
  }
}
