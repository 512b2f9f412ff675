import { OutboxCallFailedError, OutboxService } from '@kraken/outbox';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { LlmWorkerEnv } from './llm-worker.env';

/** How long getFile may wait in the outbox, in ms. */
const GET_FILE_TIMEOUT_MS = 30_000;
/** How long the download of a file's bytes may take, in ms. */
const DOWNLOAD_TIMEOUT_MS = 60_000;

/** A file Telegram served: its bytes and what getFile said of it. */
export interface DownloadedFile {
  bytes: Buffer;
  /** getFile's `file_path`, e.g. `voice/file_3.oga`. */
  filePath: string;
}

/** Whether `error` is Telegram refusing getFile for a file over its 20 MB download limit (`Bad Request: file is too big`). */
export const isFileTooBig = (error: unknown): boolean => error instanceof OutboxCallFailedError && /too big/i.test(error.description);

/**
 * Downloads a file users sent: getFile through the outbox (https://core.telegram.org/bots/api#getfile),
 * then its bytes from `<TELEGRAM_API_ROOT>/file/bot<BOT_TOKEN>/<file_path>`. The URL carries the bot
 * token: it is never logged.
 */
@Injectable()
export class TelegramFiles {
  constructor(
    private readonly outbox: OutboxService,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
  ) {}

  /**
   * @param options.jobId the getFile outbox job's id (default: BullMQ's)
   * @param options.maxBytes larger files (by getFile's `file_size`, before downloading, or by the
   *   bytes received) give null
   * @returns the file, or null when Telegram gave no `file_path` or it is over `maxBytes`
   * @throws OutboxCallFailedError when Telegram refused getFile (isFileTooBig tells the 20 MB case),
   *   other outbox errors, and an Error on a failed or timed-out download
   */
  async download(fileId: string, options: { jobId?: string; maxBytes?: number } = {}): Promise<DownloadedFile | null> {
    const maxBytes = options.maxBytes ?? Infinity;
    const found = await this.outbox.call<{ file_path?: string; file_size?: number }>(
      { method: 'getFile', params: { file_id: fileId } },
      { ...(options.jobId ? { jobId: options.jobId } : {}), timeoutMs: GET_FILE_TIMEOUT_MS },
    );
    if (!found.file_path || (found.file_size ?? 0) > maxBytes) return null;
    const url = `${this.config.get('TELEGRAM_API_ROOT', { infer: true })}/file/bot${this.config.get('BOT_TOKEN', { infer: true })}/${found.file_path}`;
    const response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`file download failed: HTTP ${response.status}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    return bytes.length > maxBytes ? null : { bytes, filePath: found.file_path };
  }
}
