import { Ctx, On, Update } from 'nestjs-telegraf';
import type { EditedMessageContext, MessageContext } from '../updates/update-contexts';
import { commandOf, messageFactOf } from '../updates/update-facts';
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
  async onMessage(@Ctx() ctx: MessageContext): Promise<void> {
    await this.triggers.onMessage(updateJobsOf(ctx), messageFactOf(ctx, ctx.message), ctx.message, commandOf(ctx), { id: ctx.botInfo.id, username: ctx.botInfo.username });
  }

  @On('edited_message')
  onEditedMessage(@Ctx() ctx: EditedMessageContext): void {
    this.triggers.onEditedMessage(updateJobsOf(ctx), messageFactOf(ctx, ctx.editedMessage));
  }
}
