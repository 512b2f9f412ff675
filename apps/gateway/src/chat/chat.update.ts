import type { AnyMessage } from '@kraken/telegram';
import { Ctx, On, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { messageFactOf } from '../updates/update-facts';
import { updateJobsOf } from '../updates/update-jobs';
import { ChatTriggerService } from './chat-trigger.service';

/**
 * Telegraf handlers of the chat feature. They run after UpdateClassifier (which collected the stats
 * job, kept the message's fact and called `next()`), for every new and edited message of groups and private chats.
 */
@Update()
export class ChatUpdate {
  constructor(private readonly triggers: ChatTriggerService) {}

  @On('message')
  async onMessage(@Ctx() ctx: Context): Promise<void> {
    const message = ctx.message as unknown as AnyMessage;
    await this.triggers.onMessage(updateJobsOf(ctx), messageFactOf(ctx, message), message, { id: ctx.botInfo.id, username: ctx.botInfo.username });
  }

  @On('edited_message')
  onEditedMessage(@Ctx() ctx: Context): void {
    this.triggers.onEditedMessage(updateJobsOf(ctx), messageFactOf(ctx, ctx.editedMessage as unknown as AnyMessage));
  }
}
