import { chatKeys } from '@kraken/chat';
import type { KbCommandJob } from '@kraken/contracts';
import { KB_TEXTS, KbInputError, KnowledgeBase, type KbTexts } from '@kraken/kb';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job } from 'bullmq';
import type { RedisClient } from '@kraken/redis';
import { WORKER_REDIS } from '../chat-worker.providers';
import type { LlmWorkerEnv } from '../llm-worker.env';
import { ReplySender, type ReplyTarget } from '../reply-sender';
import { TelegramFiles } from '../telegram-files';
import { KbAdmins } from './kb-admins';
import { KbChats } from './kb-chats';
import { htmlParts } from './telegram-parts';

/** Results `/kb ask` shows. */
const ASK_RESULTS = 5;
/** A chat id as the first argument: `-100…` or a user id. */
const CHAT_ID = /^-?\d{5,16}$/;

/** What a `/kb` job did. */
export type KbCommandOutcome = { answered: 'help' | 'added' | 'refused' | 'list' | 'removed' | 'not-found' | 'ask' | 'admins-only'; documentId?: number };

/** A command's answer (Telegram HTML) and outcome, stored under the job id until it was sent. */
interface KbReply {
  html: string;
  outcome: KbCommandOutcome;
}

/** How long a command's answer is kept for the re-runs of its job, in seconds (a day). */
const REPLY_TTL_SECONDS = 24 * 3600;

/**
 * Executes `/kb` commands (in a group the chat is the group; in a private chat an optional first
 * argument names the chat, else the documents are for every chat):
 * - `/kb add [chat]` replying to a file (downloaded with getFile, at most KB_MAX_FILE_MB) or a text;
 * - `/kb list [chat]`, `/kb remove <id>`, `/kb ask [chat] <question>` (what retrieval finds, with scores).
 * Changing a chat's documents needs its admins (KbAdmins); `/kb ask` and `/kb list` too, as they show
 * the documents. Answers go through the outbox with ids `<job id>-p<i>` (ReplySender.deliverParts:
 * the job waits for them in BullMQ's waiting-children state and runs again when they were sent, so
 * the command is executed once and its answer stored under the job id before anything is sent).
 */
@Injectable()
export class KbCommandHandler {
  constructor(
    private readonly kb: KnowledgeBase,
    private readonly admins: KbAdmins,
    private readonly chats: KbChats,
    private readonly files: TelegramFiles,
    private readonly sender: ReplySender,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
    @Inject(WORKER_REDIS) private readonly redis: RedisClient,
  ) {}

  /**
   * Runs one command (first run) and delivers its stored answer.
   * @param token the job's lock token
   * @throws WaitingChildrenError while the answer is on its way (not a failure)
   * @throws database/outbox errors (retried)
   */
  async handle(data: KbCommandJob, job: Job, token: string): Promise<KbCommandOutcome> {
    const key = String(job.id);
    const replyKey = chatKeys.answerText(this.config.get('QUEUE_PREFIX', { infer: true }), key);
    const stored = await this.redis.get(replyKey);
    let reply: KbReply;
    if (stored !== null) reply = JSON.parse(stored) as KbReply;
    else {
      reply = await this.execute(data);
      await this.redis.set(replyKey, JSON.stringify(reply), 'EX', REPLY_TTL_SECONDS);
    }
    const target: ReplyTarget = { chatId: data.message.chat.id, messageId: data.message.messageId };
    await this.sender.deliverParts(job, token, target, htmlParts(reply.html), key);
    return reply.outcome;
  }

  private async execute(data: KbCommandJob): Promise<KbReply> {
    const t = KB_TEXTS[this.config.get('BOT_LANGUAGE', { infer: true })];
    const say = (html: string, outcome: KbCommandOutcome): KbReply => ({ html, outcome });
    const [sub = '', ...rest] = data.args.split(/\s+/).filter(Boolean);
    let args = rest;
    let scope: number | null = data.message.chat.type === 'private' ? null : data.message.chat.id;
    if (data.message.chat.type === 'private' && args[0] && CHAT_ID.test(args[0]) && sub !== 'remove') {
      scope = Number(args[0]);
      args = args.slice(1);
    }
    const scopeName = scope === null ? t.everyChat : t.chat(scope);

    switch (sub.toLowerCase()) {
      case 'add': {
        if (!(await this.admins.canManage(data.message, scope))) return say(scope === null ? t.sharedAdminsOnly : t.adminsOnly, { answered: 'admins-only' });
        if (!data.reply?.document && !data.reply?.text) return say(t.needReply, { answered: 'help' });
        try {
          const added = await this.add(data, scope, t);
          if (typeof added === 'string') return say(added, { answered: 'refused' });
          await this.chats.sync();
          return say(t.added(added.title, added.id, added.chunks, scopeName), { answered: 'added', documentId: added.id });
        } catch (error) {
          if (error instanceof KbInputError) return say(t.refused(error.message), { answered: 'refused' });
          throw error;
        }
      }
      case 'list': {
        if (!(await this.admins.canManage(data.message, scope)) && scope !== null) return say(t.adminsOnly, { answered: 'admins-only' });
        const docs = await this.kb.list(scope);
        return say(docs.length ? [t.listTitle(scopeName), ...docs.map(t.listItem)].join('\n') : t.listEmpty, { answered: 'list' });
      }
      case 'remove': {
        const id = Number(args[0]);
        const doc = Number.isSafeInteger(id) && id > 0 ? await this.kb.get(id) : null;
        if (!doc) return say(t.notFound(Number.isSafeInteger(id) ? id : 0), { answered: 'not-found' });
        if (!(await this.admins.canManage(data.message, doc.chatId))) return say(doc.chatId === null ? t.sharedAdminsOnly : t.adminsOnly, { answered: 'admins-only' });
        await this.kb.remove(id);
        await this.chats.sync();
        return say(t.removed(id, doc.title), { answered: 'removed', documentId: id });
      }
      case 'ask': {
        if (scope !== null && !(await this.admins.canManage(data.message, scope))) return say(t.adminsOnly, { answered: 'admins-only' });
        const question = args.join(' ').trim();
        if (!question) return say(t.askEmpty, { answered: 'help' });
        const hits = await this.kb.search(question, scope, ASK_RESULTS);
        const lines = [t.askTitle(question, this.config.get('KB_MIN_SCORE', { infer: true })), ...(hits.length ? hits.map((h) => t.askHit(h, this.kb.passes(h))) : [t.nothingFound])];
        return say(lines.join('\n'), { answered: 'ask' });
      }
      default:
        return say(t.help, { answered: 'help' });
    }
  }

  /** Adds the replied-to file or text. @returns the added document, or a refusal text. @throws KbInputError, outbox/HTTP errors */
  private async add(data: KbCommandJob, scope: number | null, t: KbTexts) {
    const addedById = data.message.sender?.kind === 'user' ? data.message.sender.id : undefined;
    const document = data.reply?.document;
    if (!document) return this.kb.addText(data.reply!.text!, { chatId: scope, addedById });
    const maxMb = this.config.get('KB_MAX_FILE_MB', { infer: true });
    if ((document.fileSize ?? 0) > maxMb * 1024 * 1024) return t.tooLarge(maxMb);
    const file = await this.files.download(document.fileId);
    if (!file) return t.tooLarge(maxMb);
    return this.kb.addFile(file.bytes, document.fileName ?? file.filePath.split('/').pop() ?? 'document', { chatId: scope, mimeType: document.mimeType, addedById });
  }
}
