import type { MessagePart } from '@kraken/chat';
import { QueueName, type OutboxCall } from '@kraken/contracts';
import { isUnparsableEntities, OutboxCallFailedError, OutboxService } from '@kraken/outbox';
import { Injectable } from '@nestjs/common';
import { UnrecoverableError, WaitingChildrenError, type Job } from 'bullmq';

/**
 * Where a reply goes: the chat and the message it answers. No `message_thread_id` is needed: a reply
 * lands in the topic of the message it replies to.
 */
export interface ReplyTarget {
  chatId: number;
  messageId: number;
}

/** A message Telegram accepted (the parts of sendMessage's result the worker uses). */
export interface SentMessage {
  message_id: number;
  date: number;
  text?: string;
}

/**
 * Sends replies through the outbox (every Bot API call goes there). Outbox job ids derive from the
 * caller's idempotency key (`<key>-p<i>`), so a re-run of an answer job re-attaches to the calls it
 * made before instead of sending again (BullMQ ignores a duplicate id; the outbox's sent markers cover
 * re-runs).
 */
@Injectable()
export class ReplySender {
  constructor(private readonly outbox: OutboxService) {}

  /**
   * Delivers `parts` as replies to `target`, in order, without holding a worker slot while the chat's
   * outbox limit (1 message/s per chat, 20/min per group) or a 429 holds a part back: each part is an
   * outbox job added as a child of `job`, which then moves to BullMQ's waiting-children state
   * (WaitingChildrenError) and is run again once that part was sent. Every run starts from what the
   * outbox already did (the job's children values and ignored failures), so it is idempotent: a part
   * is enqueued at most once under `<key>-p<i>` (plus `<key>-p<i>-plain` when Telegram refused its
   * HTML with 400 "can't parse entities": the same part as plain text). The first part quotes the
   * trigger.
   * @param token the job's lock token (the processor's second argument)
   * @returns the sent messages, in order, once every part was accepted
   * @throws WaitingChildrenError while a part is on its way (BullMQ re-runs the job when it is done)
   * @throws UnrecoverableError with the outbox's reason when a part failed for good (e.g. 403 bot was kicked)
   */
  async deliverParts(job: Job, token: string, target: ReplyTarget, parts: MessagePart[], key: string): Promise<SentMessage[]> {
    const childKey = (id: string) => `${job.prefix}:${QueueName.Outbox}:${id}`;
    for (;;) {
      const [values, failures] = await Promise.all([job.getChildrenValues<SentMessage>(), job.getIgnoredChildrenFailures()]);
      const sent: SentMessage[] = [];
      let next: { call: OutboxCall; jobId: string } | undefined;
      for (const [i, part] of parts.entries()) {
        const htmlId = `${key}-p${i}`;
        const plainId = `${htmlId}-plain`;
        const result = values[childKey(htmlId)] ?? values[childKey(plainId)];
        if (result) {
          sent.push(result);
          continue;
        }
        const plainFailed = failures[childKey(plainId)];
        const htmlFailed = failures[childKey(htmlId)];
        const reason = plainFailed ?? (htmlFailed !== undefined && !htmlUnparsable(htmlFailed) ? htmlFailed : undefined);
        if (reason !== undefined) throw new UnrecoverableError(`reply part ${i + 1}/${parts.length} not sent: ${reason.slice(0, 500)}`);
        const reply = i === 0 ? { reply_parameters: { message_id: target.messageId, allow_sending_without_reply: true } } : {};
        const base = { chat_id: target.chatId, link_preview_options: { is_disabled: true }, ...reply };
        next =
          htmlFailed === undefined
            ? { call: { method: 'sendMessage', params: { ...base, text: part.html, parse_mode: 'HTML' }, chatId: target.chatId, isMessage: true }, jobId: htmlId }
            : { call: { method: 'sendMessage', params: { ...base, text: part.plain }, chatId: target.chatId, isMessage: true }, jobId: plainId };
        break;
      }
      if (!next) return sent;
      await this.outbox.send(next.call, next.jobId, { parent: { id: String(job.id), queue: job.queueQualifiedName } });
      if (await job.moveToWaitingChildren(token)) throw new WaitingChildrenError();
      // The part was sent before the job could wait for it: read its result and go on.
    }
  }

  /** Enqueues a short HTML reply to `target` (notices, command answers) without waiting for it. */
  async notify(target: ReplyTarget, html: string, jobId: string): Promise<void> {
    await this.outbox.send(
      {
        method: 'sendMessage',
        params: { chat_id: target.chatId, text: html, parse_mode: 'HTML', reply_parameters: { message_id: target.messageId, allow_sending_without_reply: true } },
        chatId: target.chatId,
        isMessage: true,
      },
      jobId,
    );
  }

  /** Enqueues a `typing` chat action (shown for up to 5 s or until the next message). */
  async typing(target: ReplyTarget, jobId: string): Promise<void> {
    await this.outbox.send({ method: 'sendChatAction', params: { chat_id: target.chatId, action: 'typing' }, chatId: target.chatId }, jobId);
  }
}

/**
 * True when a part's HTML attempt failed because Telegram could not parse its entities (400 "can't
 * parse entities"), read from the child's failed reason: the part is then resent as plain text.
 */
function htmlUnparsable(failedReason: string): boolean {
  const failure = OutboxCallFailedError.fromFailedReason(failedReason);
  return failure !== undefined && isUnparsableEntities(failure);
}
