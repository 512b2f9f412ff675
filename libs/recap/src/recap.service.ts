import { formatEntry, type ContextEntry } from '@kraken/chat';
import type { ForwardOrigin, MessageKind } from '@kraken/contracts';
import { truncateToTokens } from '@kraken/llm';
import { chatLanguage, type RecapLanguage } from './chat-language';
import type { RecapCache } from './recap-cache';
import type { RecapSpec } from './recap-request';
import { renderRecap } from './recap-render';
import type { RecapMessage, RecapRepository } from './recap.repository';
import { summarizeRecap, type RecapLlm } from './recap-summarizer';
import { RECAP_TEXTS } from './recap-texts';

/** Settings of RecapService (recapEnv in @kraken/config). */
export interface RecapSettings {
  defaultHours: number;
  maxHours: number;
  maxMessages: number;
  budgetTokens: number;
  maxTokens: number;
  messageMaxTokens: number;
  maxCalls: number;
  tz: string;
  /** Language when the window has no letters (BOT_LANGUAGE). */
  fallbackLanguage: RecapLanguage;
}

/** One recap request, from the message that asked. */
export interface RecapRequest {
  chatId: number;
  chatTitle?: string;
  /** The asking message: its id, date (Unix seconds) and sender. */
  messageId: number;
  date: number;
  senderId?: number;
  topicId?: number;
  spec: RecapSpec;
  /** Idempotency key of the usage rows (the job id). */
  requestKey: string;
}

/** What a recap request produced (HTML for Telegram). */
export type RecapOutcome =
  | { kind: 'recap'; html: string; messages: number; calls: number; maxPromptTokens: number; ids: number[] }
  | { kind: 'cached'; html: string }
  | { kind: 'empty' | 'purged'; html: string };

/** How long a recap in progress holds the chat's lock, in seconds (a crashed worker's lock expires). */
const LOCK_SECONDS = 180;
/** How often a request waiting for another one's recap checks the cache, in ms. */
const WAIT_STEP_MS = 500;

/**
 * Recaps on demand: resolves the window from the stored messages (default: since the asker's last
 * message, at most RECAP_DEFAULT_HOURS; `6h`; the last N; from a replied-to message; only the forum
 * topic when asked in one), summarises it (summarizeRecap, map-reduce within the token budget), renders
 * Telegram HTML with links only to the window's messages, and keeps it per chat/topic for the interval.
 */
export class RecapService {
  constructor(
    private readonly repository: RecapRepository,
    private readonly cache: RecapCache,
    private readonly llm: RecapLlm & { modelFor(role: 'chat'): string },
    private readonly settings: RecapSettings,
  ) {}

  /**
   * Makes (or reuses) a recap.
   * @throws the LLM errors (LlmNotConfiguredError, LlmUnavailableError), database and Redis errors
   */
  async recap(request: RecapRequest): Promise<RecapOutcome> {
    const cached = await this.cached(request);
    if (cached) return cached;
    const owner = request.requestKey;
    if (!(await this.cache.lock(request.chatId, request.topicId, owner, LOCK_SECONDS))) {
      // Another request of this chat is making the recap: wait for it, then share it.
      for (let waited = 0; waited < LOCK_SECONDS * 1000; waited += WAIT_STEP_MS) {
        await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
        const ready = await this.cached(request);
        if (ready) return ready;
        if (await this.cache.lock(request.chatId, request.topicId, owner, LOCK_SECONDS)) break;
      }
    }
    try {
      return await this.make(request);
    } finally {
      await this.cache.unlock(request.chatId, request.topicId, owner);
    }
  }

  private async cached(request: RecapRequest): Promise<RecapOutcome | null> {
    const hit = await this.cache.get(request.chatId, request.topicId);
    if (!hit) return null;
    const time = new Intl.DateTimeFormat('ru-RU', { timeZone: this.settings.tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(hit.at));
    return { kind: 'cached', html: `${hit.html}\n\n${RECAP_TEXTS[hit.language].cached(time)}` };
  }

  private async make(request: RecapRequest): Promise<RecapOutcome> {
    const { from, to, fromMessageId, limit } = await this.window(request);
    const messages = await this.repository.window({ chatId: request.chatId, from, to, topicId: request.topicId, fromMessageId, excludeMessageId: request.messageId, limit });
    const withText = messages.filter((m) => m.text);
    const language = chatLanguage(withText.map((m) => m.text!), this.settings.fallbackLanguage);
    if (messages.length === 0) return { kind: 'empty', html: RECAP_TEXTS[language].empty };
    if (withText.length === 0) return { kind: 'purged', html: RECAP_TEXTS[language].purged };

    const model = this.llm.modelFor('chat');
    const lines = messages.filter((m) => m.text || m.kind !== 'text').map((m) => formatEntry(contextEntry(m), this.settings.tz, truncateToTokens(m.text ?? '', model, this.settings.messageMaxTokens)));
    const result = await summarizeRecap(this.llm, {
      lines,
      language,
      model,
      budgetTokens: this.settings.budgetTokens,
      maxTokens: this.settings.maxTokens,
      maxCalls: this.settings.maxCalls,
      chatTitle: request.chatTitle,
      chatId: request.chatId,
      userId: request.senderId,
      requestKey: request.requestKey,
    });
    const html = renderRecap(result.summary, {
      chatId: request.chatId,
      language,
      messages,
      from: new Date(Math.max(from.getTime(), messages[0].at)),
      to,
      tz: this.settings.tz,
      fallbackText: result.fallbackText,
      droppedLines: result.droppedLines,
    });
    await this.cache.set(request.chatId, request.topicId, { html, at: to.getTime(), language });
    const ids = [...html.matchAll(/\/(\d+)">#\d+<\/a>/g)].map((m) => Number(m[1]));
    return { kind: 'recap', html, messages: messages.length, calls: result.calls, maxPromptTokens: result.maxPromptTokens, ids };
  }

  /** The window of a request: [from, to] and the message cap. */
  private async window(request: RecapRequest): Promise<{ from: Date; to: Date; fromMessageId?: number; limit: number }> {
    const to = new Date(request.date * 1000);
    const hoursBack = (hours: number) => new Date(to.getTime() - hours * 3_600_000);
    const spec = request.spec;
    switch (spec.kind) {
      case 'hours':
        return { from: hoursBack(Math.min(spec.hours, this.settings.maxHours)), to, limit: this.settings.maxMessages };
      case 'messages':
        return { from: new Date(0), to, limit: Math.min(spec.count, this.settings.maxMessages) };
      case 'from-message': {
        const at = await this.repository.messageAt(request.chatId, spec.messageId);
        return { from: at ?? hoursBack(this.settings.maxHours), to, fromMessageId: spec.messageId, limit: this.settings.maxMessages };
      }
      case 'default': {
        const floor = hoursBack(this.settings.defaultHours);
        const last = request.senderId ? await this.repository.lastMessageAt(request.chatId, request.senderId, request.messageId) : null;
        return { from: last && last > floor ? last : floor, to, limit: this.settings.maxMessages };
      }
    }
  }
}

/** A stored message as a prompt line's entry (formatEntry of @kraken/chat). */
function contextEntry(message: RecapMessage): ContextEntry {
  return {
    id: message.messageId,
    at: message.at,
    sender: message.sender,
    isBot: message.isBot,
    kind: message.kind as MessageKind,
    text: message.text ?? '',
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    ...(message.forward ? { forward: { type: message.forward.type as ForwardOrigin['type'], title: message.forward.title } } : {}),
  };
}
