import type { RecordedCall, WaitForOptions } from './emulator-types';

/** Selects calls: a method name (compared case-insensitively) or a predicate. */
export type CallMatcher = string | ((call: RecordedCall) => boolean);

interface Waiter {
  matches: (call: RecordedCall) => boolean;
  /** Matching calls seen so far (existing ones at creation, then new ones as recorded). */
  found: RecordedCall[];
  count: number;
  resolve: (calls: RecordedCall[]) => void;
}

/**
 * Ordered log of every Bot API call the emulator answered, with waiting helpers for tests.
 * Keeps about `maxCalls` entries (the oldest are dropped in batches of 10%) so long benchmarks do
 * not grow without bound.
 */
export class CallRecorder {
  private log: RecordedCall[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Set<(call: RecordedCall) => void>();

  constructor(private readonly maxCalls = 100_000) {}

  /** Appends a call and wakes the waiters it satisfies. */
  record(call: RecordedCall): void {
    this.log.push(call);
    // Trim in batches: splicing one entry per call would make every call O(n) once full.
    if (this.log.length > this.maxCalls + Math.ceil(this.maxCalls / 10)) this.log.splice(0, this.log.length - this.maxCalls);
    for (const listener of this.listeners) listener(call);
    for (const waiter of [...this.waiters]) {
      if (!waiter.matches(call)) continue;
      waiter.found.push(call);
      if (waiter.found.length >= waiter.count) {
        this.waiters.delete(waiter);
        waiter.resolve(waiter.found.slice(0, waiter.count));
      }
    }
  }

  /** Calls in order, optionally only those matching a method name or predicate. */
  calls(matcher?: CallMatcher): RecordedCall[] {
    return matcher === undefined ? [...this.log] : this.log.filter(toPredicate(matcher));
  }

  /** Forgets recorded calls (pending waitFor promises keep waiting for new ones). */
  clear(): void {
    this.log = [];
  }

  /** Subscribes to every recorded call (used for `--log`); returns the unsubscribe function. */
  onCall(listener: (call: RecordedCall) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves with the first `count` (default 1) recorded calls matching `matcher` as soon as they
   * exist (already recorded ones count, since the last `clear()`; a later `clear()` does not reset
   * what a pending wait has already seen).
   *
   * @throws Error (rejection) after `timeoutMs` (default 5000) listing what was recorded.
   */
  waitFor(matcher: CallMatcher, options: WaitForOptions = {}): Promise<RecordedCall[]> {
    const count = options.count ?? 1;
    const timeoutMs = options.timeoutMs ?? 5000;
    const matches = toPredicate(matcher);
    const existing = this.log.filter(matches);
    if (existing.length >= count) return Promise.resolve(existing.slice(0, count));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        matches,
        found: existing,
        count,
        resolve: (calls) => {
          clearTimeout(timer);
          resolve(calls);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const got = waiter.found.length;
        reject(new Error(`waitFor(${describe(matcher)}): expected ${count} matching call(s) within ${timeoutMs} ms, got ${got}. ${this.summary()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** One line per recorded call (the last 50), for failure messages. */
  summary(): string {
    if (this.log.length === 0) return 'No calls were recorded.';
    const shown = this.log.slice(-50);
    const lines = shown.map((call) => {
      const body = call.response.body;
      const outcome = body.ok ? 'ok' : `${body.error_code} ${body.description}`;
      return `  #${call.seq} ${call.method} ${truncate(JSON.stringify(call.params), 160)} -> ${outcome}`;
    });
    const skipped = this.log.length - shown.length;
    return `Recorded calls (${this.log.length}${skipped ? `, first ${skipped} omitted` : ''}):\n${lines.join('\n')}`;
  }
}

function toPredicate(matcher: CallMatcher): (call: RecordedCall) => boolean {
  if (typeof matcher === 'function') return matcher;
  const lower = matcher.toLowerCase();
  return (call) => call.method.toLowerCase() === lower;
}

function describe(matcher: CallMatcher): string {
  return typeof matcher === 'string' ? matcher : 'predicate';
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
