import { ASSISTANT_TEXTS, parseAssistantCallback } from '@kraken/assistant';
import { ModelRegistry } from '@kraken/llm';
import type { AssistantCallbackJob } from '@kraken/contracts';
import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AssistantReplies } from './assistant-replies';
import { AssistantSessions } from './assistant-sessions';

/** What an assistant `callback` job did. */
export type AssistantCallbackOutcome = { done: 'switch' | 'rename' | 'delete' | 'model' | 'mode' } | { refused: 'invalid' | 'not-yours' | 'model' };

/**
 * Executes presses on the assistant's buttons. The data is parsed (parseAssistantCallback) and every
 * session it names must belong to the presser, in their own private chat: a forged or stale payload
 * and another user's session get a clear refusal as an alert, and nothing is read or changed. Each
 * press is answered (answerCallbackQuery, job id `<job id>-ack`); a change is confirmed with a
 * message (`<job id>-r`). `model` must be a model the registry offers; `model` and `mode` apply to
 * the presser's current session (a mode resets the session's own system prompt to the mode's preset).
 */
@Injectable()
export class AssistantCallbackHandler {
  private readonly logger = new Logger(AssistantCallbackHandler.name);

  constructor(
    private readonly sessions: AssistantSessions,
    private readonly registry: ModelRegistry,
    private readonly replies: AssistantReplies,
  ) {}

  /** @throws database and outbox errors (retried) */
  async handle(data: AssistantCallbackJob, job: Job): Promise<AssistantCallbackOutcome> {
    const key = String(job.id);
    const t = ASSISTANT_TEXTS[this.sessions.language(data.languageCode)];
    const refuse = async (reason: 'invalid' | 'not-yours' | 'model', text: string): Promise<AssistantCallbackOutcome> => {
      this.logger.log({ userId: data.userId, reason }, 'assistant button refused');
      await this.replies.answerCallback(data.callbackQueryId, `${key}-ack`, text, true);
      return { refused: reason };
    };
    const action = parseAssistantCallback(data.data);
    if (!action) return refuse('invalid', t.invalidButton);
    // A private chat's id is its user's: a press relayed from anyone else's chat is not theirs to make.
    if (data.chatId !== data.userId) return refuse('not-yours', t.notYours);
    const repository = this.sessions.repository;
    const confirm = async (html: string) => {
      await this.replies.answerCallback(data.callbackQueryId, `${key}-ack`, t.done);
      await this.replies.html({ chatId: data.chatId }, html, `${key}-r`);
    };
    switch (action.action) {
      case 'switch':
      case 'rename':
      case 'delete': {
        const session = await repository.find(data.userId, action.sessionId);
        if (!session) return refuse('not-yours', t.notYours);
        if (action.action === 'switch') {
          await repository.activate(data.userId, session.id, this.sessions.now());
          await confirm(t.switched(session.title));
        } else if (action.action === 'rename') {
          await this.sessions.awaitRename(data.userId, session.id);
          await this.replies.answerCallback(data.callbackQueryId, `${key}-ack`);
          await this.replies.html({ chatId: data.chatId }, t.renamePrompt(session.title), `${key}-r`, { forceReply: true });
        } else {
          await repository.delete(data.userId, session.id);
          await confirm(t.deleted(session.title));
        }
        return { done: action.action };
      }
      case 'model': {
        // Looked up among the offered models only: a forged id is refused without a registry warning.
        const spec = (await this.registry.offered()).find((m) => m.id === action.model);
        if (!spec) return refuse('model', t.modelRefused);
        const session = await this.sessions.current(data.userId);
        await repository.update(data.userId, session.id, { model: spec.id });
        await confirm(t.modelSet(spec.id, spec.contextWindow));
        return { done: 'model' };
      }
      case 'mode': {
        const session = await this.sessions.current(data.userId);
        await repository.update(data.userId, session.id, { mode: action.mode, systemPrompt: null });
        await confirm(t.modeSet(t.modeNames[action.mode]));
        return { done: 'mode' };
      }
    }
  }
}
