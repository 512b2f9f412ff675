import type { AnyMessage } from '@kraken/telegram';
import { Ctx, On, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { ChatTriggerService } from './chat-trigger.service';

/**
 * Telegraf handlers of the chat feature. They run after UpdateClassifier (which enqueued the stats
 * fact and called `next()`), for every new and edited message of groups and private chats.
 */
@Update()
export class ChatUpdate {
  constructor(private readonly triggers: ChatTriggerService) {}

  @On('message')
  async onMessage(@Ctx() ctx: Context): Promise<void> {
    await this.triggers.onMessage(ctx.update.update_id, ctx.message as unknown as AnyMessage, { id: ctx.botInfo.id, username: ctx.botInfo.username });
  }

  @On('edited_message')
  async onEditedMessage(@Ctx() ctx: Context): Promise<void> {
    await this.triggers.onEditedMessage(ctx.update.update_id, ctx.editedMessage as unknown as AnyMessage);
  }
}
