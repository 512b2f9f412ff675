import type { NextFunction, Request, Response } from 'express';
import type { Context, MiddlewareFn } from 'telegraf';
import { runWithLogContext } from '../logging/log-context';
import { Metrics } from '../metrics/metrics';

/**
 * Telegraf middleware (first in the chain, via nestjs-telegraf's `middlewares` option): counts the
 * update in `kraken_updates_received_total{kind}` and runs the handlers in a log context carrying the
 * update id and chat id, so every line they log names the update.
 */
export const observeUpdates: MiddlewareFn<Context> = (ctx, next) => {
  Metrics.updatesReceived.inc({ kind: ctx.updateType });
  return runWithLogContext({ updateId: ctx.update.update_id, chatId: ctx.chat?.id }, next);
};

/**
 * Express middleware for the webhook route: counts each answer in
 * `kraken_webhook_responses_total{status}` when it has been sent.
 */
export function countWebhookResponses(_req: Request, res: Response, next: NextFunction): void {
  res.once('finish', () => Metrics.webhookResponses.inc({ status: String(res.statusCode) }));
  next();
}
