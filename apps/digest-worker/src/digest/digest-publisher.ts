import { ClaimLostError, DigestComposer, DigestStore, isFinishedMonth, type DigestRecord } from '@kraken/digest';
import { parseMonth } from '@kraken/stats';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { DigestWorkerEnv } from '../digest-worker.env';
import { DigestSender } from './digest-sender';

/**
 * What a publish attempt found or did: `published` (the month's digest, now), `republished` (a forced
 * re-post, now or by an earlier run of the same command), `already-published`, `busy` (another run
 * holds it), `not-finished` (the month is not over), `skipped` (no messages and DIGEST_EMPTY_MONTH=skip).
 */
export type PublishOutcome = 'published' | 'republished' | 'already-published' | 'busy' | 'not-finished' | 'skipped';

/** Options of DigestPublisher.publish. */
export interface PublishOptions {
  /** The current time; the month must be over at it in KRAKEN_TIMEZONE. Default: now. */
  now?: Date;
  /**
   * Telegram user id of an admin forcing the post (`/digest publish YYYY-MM --force`): a month already
   * published or skipped gets a new revision recording them (once per command job), and a month
   * without messages is posted even with DIGEST_EMPTY_MONTH=skip.
   */
  forcedBy?: number;
  /**
   * The run's JobRun.signal: aborted when its job was handed back at shutdown. The run then stops
   * waiting and leaves the row alone (the run that took the job over holds the same claim).
   */
  signal?: AbortSignal;
}

/**
 * Publishes the digest of (chat, month) exactly once, whatever number of workers, retries and
 * restarts, and only for a finished month (in KRAKEN_TIMEZONE):
 * 1. the Digest row is created if missing and claimed for this run (DigestStore.claim: one UPDATE …
 *    WHERE status IN …; a published digest or another live run's claim means nothing to do);
 * 2. the content is composed once and stored in the row, so a resumed run publishes the same post;
 * 3. the media group, then the text parts, are sent through the outbox with job ids derived from the
 *    digest id (`dg-<id>-media`, `dg-<id>-text-<i>`), each step recorded in the row when Telegram
 *    accepted it: a run resumed after a crash skips recorded steps, and a step whose call was made
 *    but not recorded re-attaches to the same outbox job instead of sending again;
 * 4. the row turns `published` — or, for a month without messages under DIGEST_EMPTY_MONTH=skip and not
 *    forced, `skipped` without posting anything.
 * A forced re-post runs the same steps on its own row (the next revision, see DigestStore.createForced).
 * The claim's lease is renewed while the run works; a failure marks the row `failed` (a later run
 * may claim it) and is rethrown for BullMQ's retries — except when the run was handed back
 * (PublishOptions.signal), since its claim now belongs to the run that took the job over.
 * A run drained at shutdown still gets the outbox's results of its calls: the outbox closes its
 * result channel only after the workers drained (OutboxService.call).
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
   * @throws the composer's, the database's or the outbox's error (the row is then `failed`);
   *   RevisionRaceError when two forced re-posts raced (retried)
   */
  async publish(chatId: number, month: string, claimant: string, options: PublishOptions = {}): Promise<PublishOutcome> {
    if (!isFinishedMonth(parseMonth(month), options.now ?? new Date(), this.config.get('KRAKEN_TIMEZONE', { infer: true }))) return 'not-finished';
    const target = String(this.targetOf(chatId));
    await this.store.ensure(chatId, month, target);
    const force = options.forcedBy !== undefined;
    if (options.forcedBy !== undefined) {
      const first = await this.store.find(chatId, month);
      if (first?.status === 'published' || first?.status === 'skipped') {
        const forced = await this.store.createForced(chatId, month, target, options.forcedBy, claimant);
        this.logger.log({ digestId: forced.id, chatId, month, revision: forced.revision, forcedBy: options.forcedBy }, 'digest re-post forced');
        const outcome = await this.claimAndRun(chatId, month, claimant, forced.revision, true, options.signal);
        return outcome === 'published' || outcome === 'already-published' ? 'republished' : outcome;
      }
    }
    return this.claimAndRun(chatId, month, claimant, 0, force, options.signal);
  }

  private async claimAndRun(chatId: number, month: string, claimant: string, revision: number, force: boolean, signal?: AbortSignal): Promise<PublishOutcome> {
    const lease = this.config.get('DIGEST_CLAIM_LEASE_SECONDS', { infer: true });
    const row = await this.store.claim(chatId, month, claimant, lease, revision);
    if (!row) {
      const status = (await this.store.find(chatId, month, revision))?.status;
      return status === 'published' ? 'already-published' : status === 'skipped' ? 'skipped' : 'busy';
    }
    this.logger.log({ digestId: row.id, chatId, month, revision, attempt: row.attempts, pid: process.pid }, 'digest claimed');
    const renewal = setInterval(() => {
      this.store.renew(row.id, claimant, lease).catch((error: unknown) => this.logger.warn(`digest ${row.id}: lease not renewed: ${String(error)}`));
    }, (lease * 1000) / 3);
    try {
      const outcome = await this.run(row, claimant, force, signal);
      this.logger.log({ digestId: row.id, chatId, month, revision }, outcome === 'skipped' ? 'digest skipped: no messages' : 'digest published');
      return outcome;
    } catch (error) {
      if (error instanceof ClaimLostError) {
        this.logger.warn(error.message);
        return 'busy';
      }
      if (signal?.aborted) throw error; // handed back: the claim is the new run's now
      await this.store.markFailed(row.id, claimant, error instanceof Error ? error.message : String(error));
      throw error;
    } finally {
      clearInterval(renewal);
    }
  }

  private async run(row: DigestRecord, claimant: string, force: boolean, signal?: AbortSignal): Promise<'published' | 'skipped'> {
    let content = row.content;
    if (!content) {
      content = await this.composer.compose(row.chatId, parseMonth(row.month), `digest-${row.id}`);
      await this.store.saveContent(row.id, claimant, content);
    }
    if (content.stats.messages === 0 && !force && this.config.get('DIGEST_EMPTY_MONTH', { infer: true }) === 'skip') {
      await this.store.markSkipped(row.id, claimant);
      return 'skipped';
    }
    const target = toChatId(row.targetChatId ?? String(this.targetOf(row.chatId)));
    if (!row.mediaSentAt) await this.store.markMedia(row.id, claimant, await this.sender.sendMedia(target, content, `dg-${row.id}-media`, signal));
    await this.store.markPublished(row.id, claimant, await this.sender.sendText(target, content, `dg-${row.id}-text`, signal));
    return 'published';
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
