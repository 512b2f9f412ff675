import type { MessageFact } from '@kraken/contracts';
import type { FactBatch } from './fact-batch';
import { FactBatcher } from './fact-batcher';

const fact = (n: number): MessageFact => ({
  updateId: n,
  chat: { id: -100123, type: 'supergroup', title: 'Chat' },
  messageId: n,
  date: 1_760_000_000 + n,
  sender: { id: 7, kind: 'user', name: 'Member', isBot: false },
  kind: 'text',
  textLength: 4,
});

/** A write function whose calls finish when the test says so. */
function controlledWrite(failOn?: number) {
  const calls: Array<{ ids: number[]; finish: () => void }> = [];
  const write = (batch: FactBatch) =>
    new Promise<void>((resolve, reject) => {
      const ids = batch.messages.map((m) => m.messageId);
      calls.push({ ids, finish: () => (failOn !== undefined && ids.includes(failOn) ? reject(new Error(`bad fact ${failOn}`)) : resolve()) });
    });
  return { calls, write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('FactBatcher', () => {
  test('facts arriving while the writes in flight are busy go out together once one ends (group commit)', async () => {
    const { calls, write } = controlledWrite();
    const batcher = new FactBatcher(write, { maxBatch: 100, maxWaitMs: 0, maxWrites: 1 });
    const first = batcher.add({ kind: 'message', fact: fact(1) });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(calls.map((c) => c.ids)).toEqual([[1]]);
    const later = [2, 3, 4].map((n) => batcher.add({ kind: 'message', fact: fact(n) }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(calls).toHaveLength(1); // the only write slot is busy: no timer flush
    calls[0].finish();
    await first;
    await tick();
    expect(calls.map((c) => c.ids)).toEqual([[1], [2, 3, 4]]);
    calls[1].finish();
    await Promise.all(later);
  });

  test('maxBatch waiting facts are written at once, even while a write is in flight', async () => {
    const { calls, write } = controlledWrite();
    const batcher = new FactBatcher(write, { maxBatch: 2, maxWaitMs: 10_000, maxWrites: 1 });
    const all = [1, 2, 3, 4].map((n) => batcher.add({ kind: 'message', fact: fact(n) }));
    expect(calls.map((c) => c.ids)).toEqual([[1, 2], [3, 4]]);
    calls.forEach((c) => c.finish());
    await Promise.all(all);
  });

  test('a failed batch is retried fact by fact, so only the bad fact fails', async () => {
    const { calls, write } = controlledWrite(2);
    const batcher = new FactBatcher(write, { maxBatch: 3, maxWaitMs: 0 });
    const results = [1, 2, 3].map((n) => batcher.add({ kind: 'message', fact: fact(n) }).then(() => 'written', (e: Error) => e.message));
    calls[0].finish();
    await tick();
    expect(calls.slice(1).map((c) => c.ids)).toEqual([[1], [2], [3]]);
    calls.slice(1).forEach((c) => c.finish());
    expect(await Promise.all(results)).toEqual(['written', 'bad fact 2', 'written']);
  });

  test('drain writes every queued fact, also those waiting for a busy write slot', async () => {
    const written: number[] = [];
    const batcher = new FactBatcher(
      async (batch) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        written.push(...batch.messages.map((m) => m.messageId));
      },
      { maxBatch: 2, maxWaitMs: 10_000, maxWrites: 1 },
    );
    const all = [1, 2, 3, 4, 5].map((n) => batcher.add({ kind: 'message', fact: fact(n) }));
    await batcher.drain();
    expect(written.sort()).toEqual([1, 2, 3, 4, 5]);
    await Promise.all(all);
  });
});
