import { toBatch, type FactBatch, type TaggedFact } from './fact-batch';

/** Options of FactBatcher. */
export interface FactBatcherOptions {
  /** Flush when this many facts are waiting. */
  maxBatch: number;
  /** While no write is in flight, flush at most this long (ms) after the first fact of a batch arrived. */
  maxWaitMs: number;
  /**
   * Writes in flight at most (default 2); facts arriving while all are busy wait for the next free one
   * and go in one batch (group commit), unless maxBatch of them wait.
   */
  maxWrites?: number;
}

interface Pending {
  item: TaggedFact;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Micro-batches facts from concurrently running jobs into one FactWriter call. `add` resolves only
 * after the batch holding the fact was written, so a BullMQ job completes only when its fact is in
 * PostgreSQL. When a batch fails, its facts are retried one by one so a single bad fact fails only
 * its own job.
 *
 * Group commit: at most `maxWrites` batches are written at once; facts that arrive meanwhile are
 * written together as soon as one finishes, so under load batches grow with the write time (fewer,
 * larger statements: less CPU and fewer PostgreSQL round trips per fact), and when idle a fact waits
 * at most `maxWaitMs`.
 */
export class FactBatcher {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly maxWrites: number;

  constructor(
    private readonly write: (batch: FactBatch) => Promise<void>,
    private readonly options: FactBatcherOptions,
  ) {
    this.maxWrites = options.maxWrites ?? 2;
  }

  /** Queues a fact; resolves when written, rejects with the write error. */
  add(item: TaggedFact): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.options.maxBatch) this.flush();
      else if (this.inFlight.size < this.maxWrites) this.timer ??= setTimeout(() => this.onTimer(), this.options.maxWaitMs);
    });
  }

  /** Writes everything queued now and waits for all writes in flight (used on shutdown). */
  async drain(): Promise<void> {
    this.flush();
    while (this.inFlight.size) {
      await Promise.allSettled([...this.inFlight]);
      this.flush();
    }
  }

  /** The wait of a batch is over: write it, unless every write slot is busy (then the next free one does). */
  private onTimer(): void {
    this.timer = undefined;
    if (this.inFlight.size < this.maxWrites) this.flush();
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending.length) return;
    const batch = this.pending.splice(0, this.options.maxBatch);
    const run = this.writeBatch(batch).finally(() => {
      this.inFlight.delete(run);
      // Facts that arrived during the write have waited at least that long: write them now.
      if (this.pending.length && this.inFlight.size < this.maxWrites) this.flush();
    });
    this.inFlight.add(run);
    if (this.pending.length >= this.options.maxBatch) this.flush();
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    try {
      await this.write(toBatch(batch.map((p) => p.item)));
      for (const p of batch) p.resolve();
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      await Promise.all(batch.map((p) => this.write(toBatch([p.item])).then(p.resolve, p.reject)));
    }
  }
}
