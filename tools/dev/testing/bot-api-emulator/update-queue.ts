import { BotApiError } from './bot-api-error';

/** An Update object (https://core.telegram.org/bots/api#update): `update_id` plus one payload field. */
export type Update = { update_id: number } & Record<string, unknown>;

/** Parameters of getUpdates after coercion (https://core.telegram.org/bots/api#getupdates). */
export interface PollRequest {
  offset?: number;
  /** 1–100, default 100. */
  limit?: number;
  /** Seconds to wait for an update when none is pending; default 0. */
  timeout?: number;
  allowed_updates?: string[];
}

/**
 * Update kinds delivered when the bot never chose (or chose an empty list): all except
 * chat_member, message_reaction and message_reaction_count (https://core.telegram.org/bots/api#getupdates).
 */
const OPT_IN_KINDS = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

interface PendingPoll {
  /** Re-checks the queue and answers when updates are ready. */
  wake: () => void;
  /** Answers with the error. */
  fail: (error: BotApiError) => void;
  /** Answers with an empty list. */
  release: () => void;
}

/**
 * The bot's pending updates, in update_id order, with Telegram's long-polling semantics:
 * an update is confirmed (dropped) once getUpdates is called with an offset above its id; a
 * negative offset keeps only the last |offset| updates; a new getUpdates terminates one still
 * waiting with `409 Conflict: terminated by other getUpdates request…`. `allowed_updates` is a
 * sticky setting, applied here when updates are handed out (Telegram applies it when updates are
 * created), and updates of kinds not allowed are dropped.
 */
export class UpdateQueue {
  private updates: Update[] = [];
  private nextId = 1;
  private allowed: string[] = [];
  private pending?: PendingPoll;
  private readonly pushListeners = new Set<() => void>();

  /**
   * Queues an update, assigning `update_id` (last + 1, starting at 1) when it has none.
   *
   * @throws Error when the update is not an object or its update_id is not above the last one.
   */
  push(update: Record<string, unknown>): Update {
    if (!update || typeof update !== 'object' || Array.isArray(update)) throw new Error('an update must be an object');
    let id = update.update_id;
    if (id === undefined) id = this.nextId;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < this.nextId) {
      throw new Error(`update_id must be an integer >= ${this.nextId}, got ${String(id)}`);
    }
    const queued = { update_id: id, ...update } as Update;
    this.nextId = id + 1;
    this.updates.push(queued);
    setImmediate(() => {
      this.pending?.wake();
      for (const listener of this.pushListeners) listener();
    });
    return queued;
  }

  /** Sets the sticky allowed_updates list (undefined keeps it; an empty list restores the default). */
  setAllowedUpdates(kinds: string[] | undefined): void {
    if (kinds !== undefined) this.allowed = [...kinds];
  }

  /** The current allowed_updates setting ([] = Telegram's default set). */
  allowedUpdates(): string[] {
    return [...this.allowed];
  }

  /** Updates still unconfirmed (after dropping kinds the bot did not ask for). */
  pendingCount(): number {
    this.dropDisallowed();
    return this.updates.length;
  }

  /** The first `limit` deliverable updates, without confirming them. */
  peek(limit = 100): Update[] {
    this.dropDisallowed();
    return this.updates.slice(0, limit);
  }

  /** Confirms (drops) updates with id < offset; a negative offset keeps only the last |offset|. */
  confirm(offset: number): void {
    if (offset > 0) this.updates = this.updates.filter((update) => update.update_id >= offset);
    else if (offset < 0) this.updates = this.updates.slice(offset);
  }

  /** Drops every pending update (deleteWebhook/setWebhook with drop_pending_updates). */
  clear(): void {
    this.updates = [];
  }

  /** Back to the initial state: no updates, ids from 1, default allowed_updates, no waiting poll. */
  reset(): void {
    this.terminatePoll();
    this.updates = [];
    this.nextId = 1;
    this.allowed = [];
  }

  /** Calls `listener` after each push (webhook delivery); returns the unsubscribe function. */
  onPush(listener: () => void): () => void {
    this.pushListeners.add(listener);
    return () => this.pushListeners.delete(listener);
  }

  /**
   * getUpdates: confirms by offset, answers at once when updates are pending, else waits up to
   * `timeout` seconds for a push and answers `[]` on timeout. `signal` aborts the wait (client gone).
   *
   * @throws BotApiError 409 when a newer getUpdates or setWebhook terminates this one.
   */
  poll(request: PollRequest, signal?: AbortSignal): Promise<Update[]> {
    this.pending?.fail(
      new BotApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'),
    );
    if (request.offset !== undefined) this.confirm(request.offset);
    this.setAllowedUpdates(request.allowed_updates);
    const limit = Math.min(100, Math.max(1, request.limit ?? 100));
    const ready = this.peek(limit);
    const timeoutMs = Math.max(0, request.timeout ?? 0) * 1000;
    if (ready.length > 0 || timeoutMs === 0) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const finish = (result: () => void) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (this.pending === entry) this.pending = undefined;
        result();
      };
      const onAbort = () => finish(() => resolve([]));
      const entry: PendingPoll = {
        wake: () => {
          const updates = this.peek(limit);
          if (updates.length > 0) finish(() => resolve(updates));
        },
        fail: (error) => finish(() => reject(error)),
        release: () => finish(() => resolve([])),
      };
      const timer = setTimeout(() => finish(() => resolve([])), timeoutMs);
      signal?.addEventListener('abort', onAbort);
      this.pending = entry;
    });
  }

  /** Ends a waiting getUpdates with `error` (setWebhook terminates it with a 409), or with `[]` when omitted (shutdown). */
  terminatePoll(error?: BotApiError): void {
    const pending = this.pending;
    if (!pending) return;
    if (error) pending.fail(error);
    else pending.release();
  }

  private dropDisallowed(): void {
    const allowed = this.allowed.length > 0 ? new Set(this.allowed) : undefined;
    this.updates = this.updates.filter((update) => {
      const kind = Object.keys(update).find((key) => key !== 'update_id');
      if (kind === undefined) return true;
      return allowed ? allowed.has(kind) : !OPT_IN_KINDS.has(kind);
    });
  }
}
