import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { GatewayEnv } from '@kraken/config';

/** Header Telegram sets to setWebhook's `secret_token` (https://core.telegram.org/bots/api#setwebhook). */
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Rejects webhook requests whose secret header differs from WEBHOOK_SECRET with 401 (constant-time compare). */
@Injectable()
export class WebhookSecretGuard implements CanActivate {
  private readonly secret: Buffer;

  constructor(config: ConfigService<GatewayEnv, true>) {
    this.secret = Buffer.from(config.get('WEBHOOK_SECRET', { infer: true }) ?? '');
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().headers[SECRET_HEADER];
    const given = Buffer.from(typeof header === 'string' ? header : '');
    if (this.secret.length === 0 || given.length !== this.secret.length || !timingSafeEqual(given, this.secret)) {
      throw new UnauthorizedException('missing or wrong X-Telegram-Bot-Api-Secret-Token');
    }
    return true;
  }
}
