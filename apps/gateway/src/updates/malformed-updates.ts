import { Logger } from '@nestjs/common';
import { findUpdateProblem } from '@kraken/telegram';
import type { Context, MiddlewareFn } from 'telegraf';

const logger = new Logger('MalformedUpdates');

/**
 * Telegraf middleware, right after observeUpdates and before every handler: an update whose payload
 * does not match the Bot API types of the fields Kraken reads (findUpdateProblem in @kraken/telegram,
 * e.g. a `reply_to_message` without a chat, a string `message_id`, an entity without an offset) is
 * acknowledged and ignored (the webhook answers 200, polling confirms it), with a warning naming the
 * failing fields but none of their values. Nothing of it is enqueued, so no handler ever reads a
 * field of the wrong type and Telegram's delivery queue is never blocked by it.
 */
export const ignoreMalformedUpdates: MiddlewareFn<Context> = (ctx, next) => {
  const problem = findUpdateProblem(ctx.update as unknown as Record<string, unknown>);
  if (!problem) return next();
  logger.warn({ updateId: ctx.update.update_id, kind: problem.kind, fields: problem.paths }, `malformed ${problem.kind} update ignored`);
  return Promise.resolve();
};
