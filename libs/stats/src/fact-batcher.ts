import { toBatch, type FactBatch, type TaggedFact } from './fact-batch';

/** Options of FactBatcher. */
export interface FactBatcherOptions {
  /** Flush when this many facts are waiting. */
  maxBatch: number;
  /** Flush at most this long (ms) after the first fact of a batch arrived. */
  maxWaitMs: number;
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
 */
export class FactBatcher {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly write: (batch: FactBatch) => Promise<void>,
    private readonly options: FactBatcherOptions,
  ) {}

  /** Queues a fact; resolves when written, rejects with the write error. */
  add(item: TaggedFact): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.options.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
    });
  }

  /** Writes everything queued now and waits for all writes in flight (used on shutdown). */
  async drain(): Promise<void> {
    this.flush();
    await Promise.allSettled([...this.inFlight]);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    const run = this.writeBatch(batch).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    try {
      await this.write(toBatch(batch.map((p) => p.item)));
      for (const p of batch) p.resolve();
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      await Promise.all(
        batch.map((p) =>
          this.write(toBatch([p.item])).then(p.resolve, p.reject),
        ),
      );
    }
  }
}
