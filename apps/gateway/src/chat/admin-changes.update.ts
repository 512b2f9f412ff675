import { Inject } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnv } from '@kraken/config';
import { changesAnAdmin, chatAdminsKey, type ChatMemberChange } from '@kraken/outbox';
import type { RedisClient } from '@kraken/redis';
import { Ctx, Next, On, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { GATEWAY_REDIS } from '../gateway-redis.provider';

/**
 * Keeps the workers' cached admin lists (ChatAdmins in @kraken/outbox) true: a `chat_member` update
 * that changes an administrator (promotion, demotion, changed rights, an admin leaving) deletes the
 * chat's cached list, so the next /usage, /policy, /digest or moderation button asks Telegram again.
 * Runs after UpdateClassifier (which enqueued the stats fact) and passes the update on.
 * @throws the Redis error (the webhook then answers 5xx and Telegram redelivers)
 */
@Update()
export class AdminChangesUpdate {
  private readonly prefix: string;

  constructor(
    @Inject(GATEWAY_REDIS) private readonly redis: RedisClient,
    config: ConfigService<GatewayEnv, true>,
  ) {
    this.prefix = config.get('QUEUE_PREFIX', { infer: true });
  }

  @On('chat_member')
  async onChatMember(@Ctx() ctx: Context, @Next() next: () => Promise<void>): Promise<void> {
    const update = ctx.chatMember as (ChatMemberChange & { chat: { id: number } }) | undefined;
    if (update && changesAnAdmin(update)) await this.redis.del(chatAdminsKey(this.prefix, update.chat.id));
    await next();
  }
}
