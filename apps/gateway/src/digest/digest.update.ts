import { parseCommand } from '@kraken/chat';
import { type DigestCommandJob, DigestJob, QueueName, UPDATE_JOB_OPTIONS, updateJobId } from '@kraken/contracts';
import { personOf } from '@kraken/memes';
import { chatRef, messageText, type AnyMessage } from '@kraken/telegram';
import { Ctx, Next, On, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
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
  async onMessage(@Ctx() ctx: Context, @Next() next: () => Promise<void>): Promise<void> {
    const message = ctx.message as unknown as AnyMessage;
    const command = parseCommand(messageText(message), ctx.botInfo?.username);
    const from = personOf(message);
    if (command?.command !== 'digest' || !from) return next();
    const chat = chatRef(message.chat as Parameters<typeof chatRef>[0]);
    const job: DigestCommandJob = {
      updateId: ctx.update.update_id,
      args: command.args.slice(0, 256),
      chat,
      messageId: message.message_id,
      from,
      // An anonymous admin posts as the group itself (sender_chat = the chat).
      asChat: (message.sender_chat as { id?: number } | undefined)?.id === chat.id,
    };
    updateJobsOf(ctx).add(QueueName.Digest, DigestJob.Command, job, { ...UPDATE_JOB_OPTIONS, jobId: updateJobId(ctx.update.update_id) });
  }
}
