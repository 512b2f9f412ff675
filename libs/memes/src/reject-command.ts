import type { ParsedCommand } from '@kraken/chat';
import { repliedMessageOf } from '@kraken/telegram';
import type { Message } from 'telegraf/types';

/** `/reject <reason>` replying to one of the bot's messages (a moderation card). */
export interface RejectCommand {
  /** The replied-to message: the card. */
  cardMessageId: number;
  /** The reason, trimmed to 512 characters; empty when none was given. */
  reason: string;
}

/**
 * Reads `/reject [reason]` (or `/reject@<bot>`: `command` is the message's bot command, parseCommand)
 * sent as a reply to a message of the bot (`botId`); null for anything else. Whether the card is a
 * meme card of the moderation chat is the worker's check.
 */
export function readRejectCommand(message: Message, command: ParsedCommand | null, botId: number): RejectCommand | null {
  if (command?.command !== 'reject') return null;
  const reply = repliedMessageOf(message);
  if (!reply || reply.from?.id !== botId) return null;
  return { cardMessageId: reply.message_id, reason: command.args.slice(0, 512) };
}
