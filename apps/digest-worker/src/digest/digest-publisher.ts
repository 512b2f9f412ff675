import { ClaimLostError, DigestComposer, DigestStore, type DigestRecord } from '@kraken/digest';
import { parseMonth } from '@kraken/stats';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { DigestWorkerEnv } from '../digest-worker.env';
import { DigestSender } from './digest-sender';

/** What a publish attempt found or did. */
export type PublishOutcome = 'published' | 'already-published' | 'busy';

/**
 * Publishes the digest of (chat, month) exactly once, whatever number of workers, retries and
 * restarts:
 * 1. the Digest row is created if missing and claimed for this run (DigestStore.claim: one UPDATE …
 *    WHERE status IN …; a published digest or another live run's claim means nothing to do);
 * 2. the content is composed once and stored in the row, so a resumed run publishes the same post;
 * 3. the media group, then the text parts, are sent through the outbox with job ids derived from the
 *    digest id (`dg-<id>-media`, `dg-<id>-text-<i>`), each step recorded in the row when Telegram
 *    accepted it: a run resumed after a crash skips recorded steps, and a step whose call was made
 *    but not recorded re-attaches to the same outbox job instead of sending again;
 * 4. the row turns `published`.
 * The claim's lease is renewed while the run works; a failure marks the row `failed` (a later run
 * may claim it) and is rethrown for BullMQ's retries.
 */
@Injectable()
export class DigestPublisher {
  private readonly logger = new Logger(DigestPublisher.name);

  constructor(
    private readonly store: DigestStore,
    private readonly composer: DigestComposer,
    private readonly sender: DigestSender,
    private readonly config: ConfigService<DigestWorkerEnv, true>,
  ) {}

  /**
   * Publishes the digest of `chatId` for `month` (`YYYY-MM`) as run `claimant` (the BullMQ job id).
   * @throws the composer's, the database's or the outbox's error (the row is then `failed`)
   */
  async publish(chatId: number, month: string, claimant: string): Promise<PublishOutcome> {
    const lease = this.config.get('DIGEST_CLAIM_LEASE_SECONDS', { infer: true });
    await this.store.ensure(chatId, month, String(this.targetOf(chatId)));
    const row = await this.store.claim(chatId, month, claimant, lease);
    if (!row) {
      const existing = await this.store.find(chatId, month);
      return existing?.status === 'published' ? 'already-published' : 'busy';
    }
    this.logger.log({ digestId: row.id, chatId, month, attempt: row.attempts, pid: process.pid }, 'digest claimed');
    const renewal = setInterval(() => {
      this.store.renew(row.id, claimant, lease).catch((error: unknown) => this.logger.warn(`digest ${row.id}: lease not renewed: ${String(error)}`));
    }, (lease * 1000) / 3);
    try {
      await this.run(row, claimant);
      this.logger.log({ digestId: row.id, chatId, month }, 'digest published');
      return 'published';
    } catch (error) {
      if (error instanceof ClaimLostError) {
        this.logger.warn(error.message);
        return 'busy';
      }
      await this.store.markFailed(row.id, claimant, error instanceof Error ? error.message : String(error));
      throw error;
    } finally {
      clearInterval(renewal);
    }
  }

  private async run(row: DigestRecord, claimant: string): Promise<void> {
    let content = row.content;
    if (!content) {
      content = await this.composer.compose(row.chatId, parseMonth(row.month), `digest-${row.id}`);
      await this.store.saveContent(row.id, claimant, content);
    }
    const target = toChatId(row.targetChatId ?? String(this.targetOf(row.chatId)));
    if (!row.mediaSentAt) await this.store.markMedia(row.id, claimant, await this.sender.sendMedia(target, content, `dg-${row.id}-media`));
    await this.store.markPublished(row.id, claimant, await this.sender.sendText(target, content, `dg-${row.id}-text`));
  }

  /** Where a chat's digest goes: DIGEST_CHANNEL_ID, else MEME_CHANNEL_ID, else the chat itself. */
  private targetOf(chatId: number): number | string {
    return this.config.get('DIGEST_CHANNEL_ID', { infer: true }) ?? this.config.get('MEME_CHANNEL_ID', { infer: true }) ?? chatId;
  }
}

/** A stored target back to a chat id: numbers stay numbers, `@username` stays a string. */
function toChatId(target: string): number | string {
  return /^-?\d+$/.test(target) ? Number(target) : target;
}
