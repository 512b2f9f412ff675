import { MessageFactSchema, type MessageFact } from '@kraken/contracts';
import { toMessageFact } from '@kraken/telegram';
import type { Context } from 'telegraf';
import type { Message } from 'telegraf/types';

const FACT = Symbol('messageFact');

/** Keeps the validated fact of the update's message (UpdateClassifier), so no handler builds it again. */
export function keepMessageFact(ctx: Context, fact: MessageFact): void {
  (ctx.state as Record<symbol, unknown>)[FACT] = fact;
}

/**
 * The validated fact (toMessageFact + MessageFactSchema) of the update's message or edited message:
 * the one UpdateClassifier built, else built and kept here.
 * @throws ZodError when the message does not make a valid fact
 */
export function messageFactOf(ctx: Context, message: Message): MessageFact {
  const state = ctx.state as Record<symbol, unknown>;
  return (state[FACT] as MessageFact | undefined) ?? ((state[FACT] = MessageFactSchema.parse(toMessageFact(ctx.update.update_id, message))) as MessageFact);
}
