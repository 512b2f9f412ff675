import type { DigestContent } from '@kraken/digest';
import { OutboxService, outboxUpload } from '@kraken/outbox';
import { Injectable } from '@nestjs/common';

/** A sent message as far as the sender reads it. */
interface SentMessage {
  message_id: number;
}

/** File name of the chart upload (Telegram shows it nowhere for photos; it keeps logs readable). */
const CHART_FILE = 'activity.png';

/**
 * Sends a composed digest through the outbox: the media group (the chart, uploaded, with the title
 * as caption, then up to 9 best memes by file_id; a lone chart goes as one photo, since a media
 * group needs 2-10 items: https://core.telegram.org/bots/api#sendmediagroup), then the text post,
 * part by part in order. Every call carries the job id it is given, so a repeated step re-attaches to
 * the call made before instead of sending again. Each method takes the run's abort signal (JobRun.signal):
 * once aborted, it stops waiting (the outbox call stays queued, for the run that took the job over).
 */
@Injectable()
export class DigestSender {
  constructor(private readonly outbox: OutboxService) {}

  /**
   * Sends the media step to `chatId` under outbox job id `jobId`.
   * @returns the message ids Telegram gave the items
   * @throws OutboxCallFailedError when Telegram refused the call; a timeout error while waiting;
   *   `signal.reason` once it aborted
   */
  async sendMedia(chatId: number | string, content: DigestContent, jobId: string, signal?: AbortSignal): Promise<number[]> {
    const chart = outboxUpload(Buffer.from(content.chartPng, 'base64'), CHART_FILE);
    if (content.albumMemes.length === 0) {
      const sent = await this.outbox.call<SentMessage>(
        { method: 'sendPhoto', params: { chat_id: chatId, photo: chart, caption: content.caption, parse_mode: 'HTML' }, chatId, isMessage: true },
        { jobId, signal },
      );
      return [sent.message_id];
    }
    const media = [
      { type: 'photo', media: chart, caption: content.caption, parse_mode: 'HTML' },
      ...content.albumMemes.map((meme) => ({ type: meme.kind, media: meme.fileId })),
    ];
    const sent = await this.outbox.call<SentMessage[]>({ method: 'sendMediaGroup', params: { chat_id: chatId, media }, chatId, isMessage: true }, { jobId, signal });
    return sent.map((message) => message.message_id);
  }

  /**
   * Sends the text post to `chatId`, part `i` under outbox job id `<jobIdPrefix>-<i>`, each part after
   * the previous one was accepted (so they arrive in order).
   * @returns the message ids of the parts
   * @throws OutboxCallFailedError when Telegram refused a part; a timeout error while waiting;
   *   `signal.reason` once it aborted
   */
  async sendText(chatId: number | string, content: DigestContent, jobIdPrefix: string, signal?: AbortSignal): Promise<number[]> {
    const ids: number[] = [];
    for (const [i, text] of content.parts.entries()) {
      const sent = await this.outbox.call<SentMessage>(
        { method: 'sendMessage', params: { chat_id: chatId, text, parse_mode: 'HTML', link_preview_options: { is_disabled: true } }, chatId, isMessage: true },
        { jobId: `${jobIdPrefix}-${i}`, signal },
      );
      ids.push(sent.message_id);
    }
    return ids;
  }
}
