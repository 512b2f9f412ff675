import { parseCommand, type ParsedCommand } from '@kraken/chat';
import { MessageFactSchema, type MessageFact } from '@kraken/contracts';
import { messageText, toMessageFact } from '@kraken/telegram';
import type { Context } from 'telegraf';
import type { Message } from 'telegraf/types';
import type { MessageContext } from './update-contexts';

const FACT = Symbol('messageFact');
const COMMAND = Symbol('command');

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

/**
 * The bot command a new message starts with (parseCommand over its text or caption: `/cmd args`,
 * `/cmd@<this bot> args`; null for none and for a command addressed to another bot), parsed once per
 * update and kept for the later handlers (intro, memes, digest, knowledge, chat each route on it).
 * Not Telegraf's `command()` (nestjs-telegraf's `@Command()`): that one reads texts only, never
 * captions, needs a `bot_command` entity and matches the command's case exactly, where Kraken accepts
 * commands in captions, without entities and in any case.
 */
export function commandOf(ctx: MessageContext): ParsedCommand | null {
  const state = ctx.state as Record<symbol, unknown>;
  if (!(COMMAND in state)) state[COMMAND] = parseCommand(messageText(ctx.message), ctx.botInfo?.username);
  return state[COMMAND] as ParsedCommand | null;
}
