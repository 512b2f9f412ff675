import { type DigestCommandJob, DigestJob, QueueName, UPDATE_JOB_OPTIONS, updateJobId } from '@kraken/contracts';
import { personOf } from '@kraken/memes';
import { chatRef } from '@kraken/telegram';
import { Ctx, Next, On, Update } from 'nestjs-telegraf';
import type { MessageContext } from '../updates/update-contexts';
import { commandOf } from '../updates/update-facts';
import { updateJobsOf } from '../updates/update-jobs';

/**
 * Telegraf handler of `/digest …` (or `/digest@<bot> …`): a `command` job (id `tg-<update_id>`,
 * with the update's other jobs, updateJobsOf) with the raw arguments; the digest-worker checks the arguments and the sender's
 * admin rights and answers. Other messages pass on (`next()`).
 */
@Update()
export class DigestUpdate {
  /** A new message: `/digest …` becomes a `command` job; anything else passes on. */
  @On('message')
  async onMessage(@Ctx() ctx: MessageContext, @Next() next: () => Promise<void>): Promise<void> {
    const message = ctx.message;
    const command = commandOf(ctx);
    const from = personOf(message);
    if (command?.command !== 'digest' || !from) return next();
    const chat = chatRef(message.chat);
    const job: DigestCommandJob = {
      updateId: ctx.update.update_id,
      args: command.args.slice(0, 256),
      chat,
      messageId: message.message_id,
      from,
      // An anonymous admin posts as the group itself (sender_chat = the chat).
      asChat: message.sender_chat?.id === chat.id,
    };
    updateJobsOf(ctx).add(QueueName.Digest, DigestJob.Command, job, { ...UPDATE_JOB_OPTIONS, jobId: updateJobId(ctx.update.update_id) });
  }
}
