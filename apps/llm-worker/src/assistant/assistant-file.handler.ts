import {
  ASSISTANT_FILE_TEXTS,
  ASSISTANT_MAX_FILE_BYTES,
  assistantCallbackData,
  DocumentRefusal,
  documentText,
  fileTreatment,
  fitDocument,
  imageMimeType,
} from '@kraken/assistant';
import type { BotLanguage } from '@kraken/chat';
import type { AssistantFile } from '@kraken/contracts';
import { LlmService, ModelRegistry } from '@kraken/llm';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { LlmWorkerEnv } from '../llm-worker.env';
import type { ReplyTarget } from '../reply-sender';
import { isFileTooBig, TelegramFiles } from '../telegram-files';
import { AssistantReplies } from './assistant-replies';
import { AssistantSessions } from './assistant-sessions';

/** Most tokens a document takes in the answer's prompt (also bounded by half the model's window). */
const DOCUMENT_BUDGET_TOKENS = 24_000;
/** Tokens of one chunk the fast model summarises, and of its summary. */
const CHUNK_TOKENS = 6_000;
const CHUNK_SUMMARY_TOKENS = 500;
/** Most summarising requests for one document (about 240,000 tokens of text); a longer one is refused. */
const MAX_SUMMARY_CALLS = 40;

/** What the question about a file is: the stored turn, the prompt's question and the images it shows. */
export interface FileQuestion {
  /** The question turn stored in the session (`📄 name: caption`, `🖼 caption`). */
  turn: string;
  /** The question sent to the model (the document's text and the caption). */
  prompt: string;
  /** Images as data URLs (photos and image documents). */
  images?: string[];
}

/**
 * Turns a photo or document of a private message into the question the assistant asks
 * (AssistantMessageHandler): the size checked against the Bot API's 20 MB getFile limit before
 * anything is downloaded, the file fetched with getFile (through the outbox) and the Bot API file
 * URL (`<TELEGRAM_API_ROOT>/file/bot<token>/<file_path>`, never logged); an image becomes a data URL
 * for a vision model (the session's model must have the registry's `vision` capability, else the
 * user is told and offered a vision model with a `/model` button); a document's text is extracted
 * (documentText) and fitted to the prompt (fitDocument: summarised in chunks by the fast model when
 * long). Every refusal is a message in the user's language; nothing is billed for a refused file.
 */
@Injectable()
export class AssistantFileHandler {
  private readonly logger = new Logger(AssistantFileHandler.name);

  constructor(
    private readonly files: TelegramFiles,
    private readonly llm: LlmService,
    private readonly registry: ModelRegistry,
    private readonly sessions: AssistantSessions,
    private readonly replies: AssistantReplies,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
  ) {}

  /**
   * @param caption the message's caption ('' when none)
   * @returns the question, or null when the file was refused (the user has been told)
   * @throws outbox, HTTP and database errors (BullMQ retries the job); LlmService errors of the summaries
   */
  async question(file: AssistantFile, caption: string, userId: number, target: ReplyTarget, key: string, language: BotLanguage): Promise<FileQuestion | null> {
    const t = ASSISTANT_FILE_TEXTS[language];
    const refuse = async (code: keyof typeof t.refused): Promise<null> => {
      this.logger.debug({ key, code, fileName: file.fileName }, 'assistant file refused');
      await this.replies.html(target, t.refused[code], `${key}-file`);
      return null;
    };
    const treatment = fileTreatment(file.kind, file.fileName, file.mimeType);
    if (treatment === 'unsupported') return refuse('unsupported');
    if ((file.fileSize ?? 0) > ASSISTANT_MAX_FILE_BYTES) return refuse('too-large');
    const session = await this.sessions.current(userId);
    const spec = await this.registry.spec(session.model);
    if (treatment === 'image' && !spec.vision) {
      const offer = (await this.registry.offered()).find((m) => m.vision);
      const data = offer ? assistantCallbackData({ action: 'model', model: offer.id }) : null;
      await this.replies.html(target, t.noVision(session.model, data ? offer!.id : null), `${key}-file`, data ? { keyboard: [[{ text: t.visionButton(offer!.id), callback_data: data }]] } : {});
      return null;
    }
    const bytes = await this.download(file);
    if (!bytes) return refuse('too-large');
    if (treatment === 'image') {
      const url = `data:${imageMimeType(file.fileName, file.mimeType)};base64,${bytes.toString('base64')}`;
      return { turn: t.imageTurn(caption || t.describePrompt), prompt: caption || t.describePrompt, images: [url] };
    }
    const name = file.fileName ?? 'document';
    let text: string;
    try {
      text = await documentText(bytes, name, file.mimeType);
    } catch (error) {
      if (error instanceof DocumentRefusal) return refuse(error.code);
      throw error;
    }
    let fitted: string;
    try {
      const maxAnswer = this.config.get('ASSISTANT_ANSWER_MAX_TOKENS', { infer: true });
      const budgetTokens = Math.max(1_000, Math.min(DOCUMENT_BUDGET_TOKENS, Math.floor(spec.contextWindow / 2) - maxAnswer));
      const result = await fitDocument(this.llm, {
        text,
        model: session.model,
        budgetTokens,
        chunkTokens: Math.min(CHUNK_TOKENS, budgetTokens),
        summaryTokens: CHUNK_SUMMARY_TOKENS,
        maxCalls: MAX_SUMMARY_CALLS,
        instruction: language === 'ru' ? 'Сожми этот фрагмент документа, сохранив факты, числа, имена и коды.' : 'Condense this part of a document, keeping facts, numbers, names and codes.',
        userId,
        chatId: target.chatId,
        requestKey: key,
      });
      fitted = result.text;
      if (result.calls > 0) this.logger.debug({ key, calls: result.calls }, 'long document summarised in chunks');
    } catch (error) {
      if (error instanceof DocumentRefusal) return refuse(error.code);
      throw error;
    }
    const question = caption || t.documentPrompt;
    return { turn: t.documentTurn(name, question), prompt: `📄 ${name}\n"""\n${fitted}\n"""\n\n${question}` };
  }

  /** The file's bytes, or null when Telegram will not serve it (over 20 MB). @throws outbox and HTTP errors */
  private async download(file: AssistantFile): Promise<Buffer | null> {
    try {
      return (await this.files.download(file.fileId, { maxBytes: ASSISTANT_MAX_FILE_BYTES }))?.bytes ?? null;
    } catch (error) {
      // A file_size that understated the truth: Telegram answers `Bad Request: file is too big`.
      if (isFileTooBig(error)) return null;
      throw error;
    }
  }
}
