import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Header Telegram sets to setWebhook's `secret_token` (https://core.telegram.org/bots/api#setwebhook). */
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * Express middleware for the webhook route, mounted before the JSON body parser: a request whose
 * X-Telegram-Bot-Api-Secret-Token differs from WEBHOOK_SECRET (constant-time compare; any request
 * when no secret is configured) gets 401 at once, before a byte of its body is parsed, so a stranger
 * cannot make the gateway parse up to WEBHOOK_MAX_BODY_BYTES of JSON per request. Node discards the
 * unread body.
 * @param secret WEBHOOK_SECRET (undefined in polling mode: every webhook request is refused)
 */
export function webhookSecretCheck(secret: string | undefined): RequestHandler {
  const expected = Buffer.from(secret ?? '');
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers[SECRET_HEADER];
    const given = Buffer.from(typeof header === 'string' ? header : '');
    if (expected.length > 0 && given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res.status(401).json({ statusCode: 401, message: 'missing or wrong X-Telegram-Bot-Api-Secret-Token', error: 'Unauthorized' });
  };
}
