import { ASSISTANT_LIMIT_TEXTS, ASSISTANT_TEXTS, assistantCallbackData, formatResetTime, buildSessionPrompt, titleFrom, TITLE_MAX_CHARS, type AssistantExchange } from '@kraken/assistant';
import { escapeHtml, splitAnswer, TELEGRAM_MESSAGE_LIMIT } from '@kraken/chat';
import type { AssistantMessageJob } from '@kraken/contracts';
import { countTokens, LlmBudgetExceededError, ModelRegistry, LlmNotConfiguredError, LlmService, LlmUnavailableError } from '@kraken/llm';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { UnrecoverableError, type Job } from 'bullmq';
import { ChatNotices } from '../chat-notices';
import type { LlmWorkerEnv } from '../llm-worker.env';
import { ReplySender, type ReplyTarget } from '../reply-sender';
import { AssistantFileHandler, type FileQuestion } from './assistant-file.handler';
import { AssistantReplies } from './assistant-replies';
import { AssistantRequestLock, CANCELLED_BY_USER, type HeldTurn } from './assistant-request-lock';
import { AssistantSessions } from './assistant-sessions';
import { AssistantVoiceHandler, type VoiceRefusal } from './assistant-voice.handler';
import { AssistantUserBudget } from './assistant-user-budget';

/** Telegram shows `typing` for up to 5 s; it is renewed this often while the LLM works, in ms. */
const TYPING_EVERY_MS = 4500;

/** What an assistant `message` job returns (kept with the completed job). */
export type AssistantMessageOutcome =
  | { sent: 'answer'; sessionId: string; parts: number; messageIds: number[] }
  | { sent: 'text-only' | 'renamed' | 'not-configured' | 'over-budget' | 'cancelled' | 'file-refused' | 'nothing' | VoiceRefusal };

/**
 * Answers a private message in the user's current session: the session (a fresh one after
 * ASSISTANT_IDLE_HOURS idle, announced with a button back to the old one) → prompt (the session's
 * system prompt and turns, oldest left out to fit the model's window, see buildSessionPrompt) →
 * LlmService with the session's model and its output-limit parameter (budgets, usage row keyed by the
 * job id) → both turns stored in PostgreSQL under the job id → the answer as Telegram HTML parts
 * through the outbox (ReplySender.deliverParts: the job waits for them in waiting-children).
 *
 * Exactly one answer per message: a re-run finds the exchange stored under its job id and only
 * delivers it (the outbox ids derive from the job id). A voice note, audio file or video note is
 * transcribed first (AssistantVoiceHandler: the transcript is shown, then it is the question); a photo
 * or document becomes the question AssistantFileHandler makes of it (image parts, or the document's
 * text with the caption); any other message that is not text gets a short note; a text message right
 * after a "rename" press is the new title. Not configured, over budget, provider outage: ChatNotices,
 * as in groups.
 *
 * One request per user at a time (AssistantRequestLock: a busy user's question waits in BullMQ's
 * delayed set, answered after the running one). The user's own budget (AssistantUserBudget) is
 * reserved with the others; over it, a message with the reset time and no LLM call. `/cancel` aborts
 * the LLM call: no answer, the reservation settled with what the provider reported (0 for an
 * unfinished plain completion), a short confirmation, and the job completes with `sent: 'cancelled'`.
 */
@Injectable()
export class AssistantMessageHandler {
  private readonly logger = new Logger(AssistantMessageHandler.name);
  private readonly maxAnswerTokens: number;
  private readonly tz: string;

  constructor(
    private readonly llm: LlmService,
    private readonly sessions: AssistantSessions,
    private readonly registry: ModelRegistry,
    private readonly sender: ReplySender,
    private readonly replies: AssistantReplies,
    private readonly notices: ChatNotices,
    private readonly voice: AssistantVoiceHandler,
    private readonly files: AssistantFileHandler,
    config: ConfigService<LlmWorkerEnv, true>,
    private readonly lock: AssistantRequestLock,
    private readonly userBudget: AssistantUserBudget,
  ) {
    this.maxAnswerTokens = config.get('ASSISTANT_ANSWER_MAX_TOKENS', { infer: true });
    this.tz = config.get('KRAKEN_TIMEZONE', { infer: true });
  }

  /**
   * @param token the job's lock token
   * @param shutdown the QueueWorkers run signal (a hand-back at shutdown aborts the LLM call too)
   * @throws WaitingChildrenError while a part is on its way, DelayedError while the user's previous request runs (not failures)
   * @throws UnrecoverableError when every provider failed or a part failed for good; database and
   *   Redis errors are rethrown for BullMQ's bounded retries
   */
  async handle(data: AssistantMessageJob, job: Job, token: string, shutdown?: AbortSignal): Promise<AssistantMessageOutcome> {
    let turn: HeldTurn | undefined;
    try {
      return await this.answer(data, job, token, shutdown, (held) => (turn = held));
    } finally {
      await turn?.release();
    }
  }

  private async answer(data: AssistantMessageJob, job: Job, token: string, shutdown: AbortSignal | undefined, held: (turn: HeldTurn) => void): Promise<AssistantMessageOutcome> {
    const key = String(job.id);
    const sender = data.message.sender;
    if (!sender || sender.kind !== 'user') return { sent: 'nothing' };
    const target: ReplyTarget = { chatId: data.message.chat.id, messageId: data.message.messageId };
    const language = this.sessions.language(data.languageCode);
    const t = ASSISTANT_TEXTS[language];
    let stored = await this.sessions.repository.exchange(key);
    let sessionId = '';
    if (!stored) {
      const text = data.message.kind === 'text' ? (data.message.text ?? '').trim() : '';
      if (!text && !data.audio && !data.file) {
        await this.replies.html(target, escapeHtml(t.textOnly), `${key}-text`);
        return { sent: 'text-only' };
      }
      const renaming = text && !data.file ? await this.sessions.takeRename(sender.id) : null;
      if (renaming) {
        const title = titleFrom(text).slice(0, TITLE_MAX_CHARS);
        const renamed = await this.sessions.repository.update(sender.id, renaming, { title });
        await this.replies.html(target, renamed ? t.renamed(title) : escapeHtml(t.notYours), `${key}-renamed`);
        return { sent: 'renamed' };
      }
      if (!this.llm.isConfigured()) {
        await this.notices.notConfigured(target, key);
        return { sent: 'not-configured' };
      }
      const turn = await this.lock.take(sender.id, job, token);
      held(turn);
      let question = text;
      if (data.audio) {
        const heard = await this.voice.transcribe(data.audio, target, sender.id, key, language);
        if ('refused' in heard) return { sent: heard.refused };
        question = heard.text;
      }
      const file = data.file ? await this.files.question(data.file, (data.message.text ?? '').trim(), sender.id, target, key, language) : undefined;
      if (file === null) return { sent: 'file-refused' };
      const signal = shutdown ? AbortSignal.any([turn.cancelled, shutdown]) : turn.cancelled;
      const asked = await this.ask(data, sender.id, file?.turn ?? question, target, key, language, signal, file);
      if (asked === 'not-configured' || asked === 'over-budget' || asked === 'cancelled') return { sent: asked };
      stored = asked.exchange;
      sessionId = asked.sessionId;
    }
    const parts = splitAnswer(stored.answer.text, TELEGRAM_MESSAGE_LIMIT, { userId: sender.id, username: sender.username });
    if (parts.length === 0) return { sent: 'nothing' };
    const sent = await this.sender.deliverParts(job, token, target, parts, key);
    return { sent: 'answer', sessionId, parts: sent.length, messageIds: sent.map((m) => m.message_id) };
  }

  /** Picks the session, asks the LLM (showing `typing`) and stores the exchange (`text` is the stored question; `file` the prompt's one and its images). */
  private async ask(data: AssistantMessageJob, userId: number, text: string, target: ReplyTarget, key: string, language: 'ru' | 'en', signal: AbortSignal, file?: FileQuestion) {
    const t = ASSISTANT_TEXTS[language];
    const { session, idle } = await this.sessions.forMessage(userId);
    if (idle) {
      const back = assistantCallbackData({ action: 'switch', sessionId: idle.id });
      await this.replies.html({ chatId: target.chatId }, t.idleNotice(idle.title), `${key}-idle`, back ? { keyboard: [[{ text: t.backButton, callback_data: back }]] } : {});
    }
    const [spec, spender] = await Promise.all([this.registry.spec(session.model), this.userBudget.of(userId)]);
    const maxOutputTokens = Math.min(this.maxAnswerTokens, Math.floor(spec.contextWindow / 2));
    const prompt = buildSessionPrompt({
      system: this.sessions.systemPrompt(session, language),
      turns: await this.sessions.repository.turns(session.id),
      question: file?.prompt ?? text,
      model: session.model,
      contextWindow: spec.contextWindow,
      maxOutputTokens,
    });
    if (file?.images) prompt.messages[prompt.messages.length - 1] = { ...prompt.messages[prompt.messages.length - 1], images: file.images };
    if (prompt.droppedTurns > 0) this.logger.debug({ sessionId: session.id, dropped: prompt.droppedTurns }, 'oldest turns left out of the prompt');
    let beat = 0;
    const typing = () => this.sender.typing(target, `${key}-typing-${beat++}`).catch((error: unknown) => this.logger.warn(`typing action not enqueued: ${String(error)}`));
    await typing();
    const timer = setInterval(() => void typing(), TYPING_EVERY_MS);
    try {
      const result = await this.llm.complete({
        role: 'chat',
        model: session.model,
        messages: prompt.messages,
        maxTokens: maxOutputTokens,
        outputLimitParam: spec.outputLimitParam,
        chatId: target.chatId,
        userId,
        purpose: 'assistant',
        requestKey: key,
        spender,
        signal,
      });
      const exchange: AssistantExchange = {
        question: { role: 'user', text, tokens: countTokens(text, session.model) },
        answer: { role: 'assistant', text: result.text, tokens: countTokens(result.text, session.model), reportedTokens: result.cached ? null : result.completionTokens },
      };
      await this.sessions.repository.addExchange(session.id, key, exchange, { at: this.sessions.now(), title: titleFrom(text) });
      return { exchange, sessionId: session.id };
    } catch (error) {
      if (signal.aborted && !(error instanceof LlmBudgetExceededError)) {
        const cancelled = signal.reason instanceof Error && signal.reason.message === CANCELLED_BY_USER;
        if (!cancelled) throw error;
        await this.replies.html(target, escapeHtml(ASSISTANT_LIMIT_TEXTS[language].cancelled), `${key}-cancelled`);
        return 'cancelled' as const;
      }
      if (error instanceof LlmBudgetExceededError && error.refusal.scope === 'spender') {
        const { period, resetAt } = error.refusal;
        await this.replies.html(target, ASSISTANT_LIMIT_TEXTS[language].overBudget(period, formatResetTime(resetAt, this.tz, language)), `${key}-budget`);
        return 'over-budget' as const;
      }
      if (error instanceof LlmNotConfiguredError) {
        await this.notices.notConfigured(target, key);
        return 'not-configured' as const;
      }
      if (error instanceof LlmBudgetExceededError) {
        await this.notices.overBudget(target, key, error.refusal);
        return 'over-budget' as const;
      }
      if (error instanceof LlmUnavailableError) {
        await this.notices.apology(target, key);
        throw new UnrecoverableError(error.message.slice(0, 1000));
      }
      throw error;
    } finally {
      clearInterval(timer);
    }
  }
}
