import { ASSISTANT_LIMIT_TEXTS, ASSISTANT_MODES, ASSISTANT_TEXTS, assistantCallbackData, titleFrom, type AssistantTexts } from '@kraken/assistant';
import { escapeHtml, type BotLanguage } from '@kraken/chat';
import type { AssistantCommand, AssistantCommandJob } from '@kraken/contracts';
import { ModelRegistry, UsageReportRepository } from '@kraken/llm';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job } from 'bullmq';
import type { LlmWorkerEnv } from '../llm-worker.env';
import { AssistantReplies, type CallbackButton } from './assistant-replies';
import { AssistantRequestLock } from './assistant-request-lock';
import { AssistantSessions } from './assistant-sessions';
import { KRAKEN_VERSION } from './kraken-version';

/** How many sessions `/sessions` lists. */
const SESSIONS_SHOWN = 10;
/** Longest system prompt `/system` stores, in characters. */
const SYSTEM_PROMPT_MAX_CHARS = 4000;

/**
 * Executes the assistant's commands in a private chat, each answered with one message through the
 * outbox (job id `<job id>-r`), in the user's language:
 * `/new [title]` a new session (same model and mode); `/sessions` the last ones as an inline keyboard
 * (switch, rename, delete); `/clear` empties the current session; `/model` the registry's offered
 * models as buttons; `/system` shows the system prompt, `/system <text>` sets it, `/system reset`
 * restores the mode's preset; `/mode` the mode presets as buttons; `/t` tokens used / window /
 * percent; `/info` version, commands, the current session and this month's spend of the chat;
 * `/cancel` stops the user's running request (AssistantRequestLock; that request confirms it) or
 * says nothing runs.
 */
@Injectable()
export class AssistantCommandHandler {
  private readonly tz: string;

  constructor(
    private readonly sessions: AssistantSessions,
    private readonly registry: ModelRegistry,
    private readonly replies: AssistantReplies,
    private readonly usageReports: UsageReportRepository,
    config: ConfigService<LlmWorkerEnv, true>,
    @Inject(KRAKEN_VERSION) private readonly version: string,
    private readonly lock: AssistantRequestLock,
  ) {
    this.tz = config.get('KRAKEN_TIMEZONE', { infer: true });
  }

  /** Runs one command. @returns which. @throws database and outbox errors (retried) */
  async handle(data: AssistantCommandJob, job: Job): Promise<{ command: AssistantCommand }> {
    const sender = data.message.sender;
    if (!sender || sender.kind !== 'user') return { command: data.command };
    const language = this.sessions.language(data.languageCode);
    const reply = this.reply(data, String(job.id));
    await this.run(data.command, data.args.trim(), sender.id, data.message.chat.id, language, ASSISTANT_TEXTS[language], reply);
    return { command: data.command };
  }

  private reply(data: AssistantCommandJob, key: string) {
    const target = { chatId: data.message.chat.id, messageId: data.message.messageId };
    return (html: string, keyboard?: CallbackButton[][]) => this.replies.html(target, html, `${key}-r`, keyboard ? { keyboard } : {});
  }

  private async run(command: AssistantCommand, args: string, userId: number, chatId: number, language: BotLanguage, t: AssistantTexts, reply: (html: string, keyboard?: CallbackButton[][]) => Promise<void>): Promise<void> {
    const repository = this.sessions.repository;
    switch (command) {
      case 'new': {
        const current = await repository.current(userId);
        const title = args ? titleFrom(args) : undefined;
        await this.sessions.startFresh(userId, current, title);
        return reply(t.newSession(title ?? null));
      }
      case 'sessions': {
        const list = await repository.list(userId, SESSIONS_SHOWN);
        if (list.length === 0) return reply(escapeHtml(t.noSessions));
        const keyboard = list.map((session, i) => {
          const name = `${i === 0 ? '● ' : ''}${session.title ?? t.untitled}`;
          return [
            { text: name, callback_data: assistantCallbackData({ action: 'switch', sessionId: session.id })! },
            { text: '✏️', callback_data: assistantCallbackData({ action: 'rename', sessionId: session.id })! },
            { text: '🗑', callback_data: assistantCallbackData({ action: 'delete', sessionId: session.id })! },
          ];
        });
        return reply(escapeHtml(t.sessionsHeader), keyboard);
      }
      case 'clear': {
        const session = await this.sessions.current(userId);
        return reply(escapeHtml(t.cleared(await repository.clear(userId, session.id))));
      }
      case 'model': {
        const session = await this.sessions.current(userId);
        const models = await this.registry.offered();
        const buttons = models.flatMap((m) => {
          const data = assistantCallbackData({ action: 'model', model: m.id });
          return data ? [{ text: `${m.id === session.model ? '✓ ' : ''}${m.id}`, callback_data: data }] : [];
        });
        if (buttons.length === 0) return reply(escapeHtml(t.noModels));
        return reply(t.modelsHeader(session.model), rows(buttons, 2));
      }
      case 'system': {
        const session = await this.sessions.current(userId);
        if (!args) return reply(t.systemShown(this.sessions.systemPrompt(session, language), session.systemPrompt !== null));
        if (args.toLowerCase() === 'reset') {
          await repository.update(userId, session.id, { systemPrompt: null });
          return reply(escapeHtml(t.systemReset));
        }
        await repository.update(userId, session.id, { systemPrompt: args.slice(0, SYSTEM_PROMPT_MAX_CHARS) });
        return reply(escapeHtml(t.systemSet));
      }
      case 'mode': {
        const session = await this.sessions.current(userId);
        const buttons = ASSISTANT_MODES.map((mode) => ({ text: `${mode === session.mode ? '✓ ' : ''}${t.modeNames[mode]}`, callback_data: assistantCallbackData({ action: 'mode', mode })! }));
        const current = (t.modeNames as Record<string, string>)[session.mode] ?? session.mode;
        return reply(t.modesHeader(current), rows(buttons, 2));
      }
      case 't': {
        const session = await this.sessions.current(userId);
        return reply(escapeHtml(t.tokens(await this.sessions.usage(session, language))));
      }
      case 'cancel': {
        if (await this.lock.cancel(userId)) return;
        return reply(escapeHtml(ASSISTANT_LIMIT_TEXTS[language].nothingToCancel));
      }
      case 'info': {
        const session = await this.sessions.current(userId);
        const [usage, report] = await Promise.all([this.sessions.usage(session, language), this.usageReports.chatReport(chatId, { tz: this.tz, now: this.sessions.now() })]);
        const mode = (t.modeNames as Record<string, string>)[session.mode] ?? session.mode;
        const monthUsd = report.models.reduce((sum, m) => sum + m.costUsd, 0);
        return reply(t.info({ version: this.version, title: session.title, model: session.model, mode, usage, monthUsd }));
      }
    }
  }
}

/** `items` in rows of `size`. */
function rows<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
