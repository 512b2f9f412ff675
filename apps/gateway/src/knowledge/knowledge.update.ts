import { Ctx, Next, On, Update } from 'nestjs-telegraf';
import type { MessageContext } from '../updates/update-contexts';
import { commandOf, messageFactOf } from '../updates/update-facts';
import { updateJobsOf } from '../updates/update-jobs';
import { KnowledgeTriggerService } from './knowledge-trigger.service';

/**
 * Telegraf handler of recaps and knowledge-base commands. Runs before the chat handlers: a recap
 * request or `/kb` command stops here; anything else passes on (`next()`), and afterwards a question
 * the chat handlers left waiting under the `quiet` policy may get a knowledge-base probe.
 */
@Update()
export class KnowledgeUpdate {
  constructor(private readonly triggers: KnowledgeTriggerService) {}

  @On('message')
  async onMessage(@Ctx() ctx: MessageContext, @Next() next: () => Promise<void>): Promise<void> {
    const message = ctx.message;
    const bot = { id: ctx.botInfo.id, username: ctx.botInfo.username };
    const jobs = updateJobsOf(ctx);
    const fact = messageFactOf(ctx, message);
    const command = commandOf(ctx);
    const decision = await this.triggers.onMessage(jobs, fact, message, command);
    if (decision.action !== 'pass') return;
    await next();
    await this.triggers.probeAfterChat(jobs, fact, message, command, bot);
  }
}
