import { Ctx, Next, On, Update } from 'nestjs-telegraf';
import type { MessageContext, MyChatMemberContext } from '../updates/update-contexts';
import { commandOf } from '../updates/update-facts';
import { INTRO_COMMANDS, IntroService, type IntroCommand } from './intro.service';

/**
 * Telegraf handlers of Kraken's introduction. They run after UpdateClassifier (which enqueued the
 * stats fact) and before the meme, digest and chat handlers: `/start` and `/help` (or `/help@<bot>`)
 * stop here, so they never reach the LLM; other messages pass on (`next()`). my_chat_member updates
 * (Kraken's own membership) end here.
 */
@Update()
export class IntroUpdate {
  constructor(private readonly intro: IntroService) {}

  @On('message')
  async onMessage(@Ctx() ctx: MessageContext, @Next() next: () => Promise<void>): Promise<void> {
    const command = commandOf(ctx)?.command;
    if (!command || !(INTRO_COMMANDS as readonly string[]).includes(command)) return next();
    await this.intro.answerCommand(command as IntroCommand, ctx.message, ctx.botInfo);
  }

  @On('my_chat_member')
  async onMyChatMember(@Ctx() ctx: MyChatMemberContext): Promise<void> {
    await this.intro.onMembershipChange(ctx.update.update_id, ctx.myChatMember, ctx.botInfo);
  }
}
