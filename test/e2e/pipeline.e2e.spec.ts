import { exportChatToUpdates, readExportFile, replayUpdates } from '@kraken/export';
import { loadExportChat, referenceStats } from '../support/export-reference';
import { runCli } from '../support/processes';
import { CHAT_ID, EXPORT_FILE, PipelineHarness, SECRET, TZ } from './pipeline-harness';

/**
 * Issue "The pipeline": the real export replayed through gateway → BullMQ → stats worker → PostgreSQL
 * gives, for every month, exactly the statistics computed independently from the export file.
 */
const reference = referenceStats(loadExportChat(EXPORT_FILE).messages, TZ);
const months = [...reference.keys()].sort();
const updates = exportChatToUpdates(readExportFile(EXPORT_FILE)[0]);

function expectMatchesReference(month: string, actual: Record<string, any>): void {
  const want = reference.get(month)!;
  const byKind = Object.fromEntries(Object.entries(actual.byKind).filter(([, n]) => n !== 0));
  expect({ month, ...actual, byKind }).toMatchObject({ month, chatId: CHAT_ID, tz: TZ, ...want });
  expect(actual.members).toEqual({ start: null, end: null });
  expect(actual.memes).toEqual({ submitted: 0, approved: 0, rejected: 0, pending: 0 });
}

async function expectAllMonths(harness: PipelineHarness): Promise<void> {
  for (const month of months) expectMatchesReference(month, await harness.stats(month));
}

// Each case replays all 1,917 updates through separate processes (one or two at once); on a loaded 2-core
// machine a case has taken up to 110 s, so the default 120 s leaves no margin. Speed is `npm run bench`'s.
jest.setTimeout(300_000);

describe('pipeline end to end on the real export', () => {
  test('a replay through `kraken replay` matches the reference for every month', async () => {
    const harness = await new PipelineHarness().start();
    try {
      const replay = await runCli(['replay', EXPORT_FILE, '--webhook', harness.webhook, '--secret', SECRET, '--rate', '0'], harness.env);
      expect(replay.stderr).toBe('');
      expect(replay.stdout).toMatch(new RegExp(`${updates.length}/${updates.length} delivered, 0 rejected`));
      await harness.idle();
      expect(months.length).toBe(19);
      await expectAllMonths(harness);
    } finally {
      await harness.stop();
    }
  });

  test('every update posted twice, two stats workers at once: same numbers', async () => {
    const harness = await new PipelineHarness().start({ workers: 2 });
    try {
      const doubled = updates.flatMap((u) => [u, u]);
      const summary = await replayUpdates(doubled, { webhook: harness.webhook, secret: SECRET, rate: 0, concurrency: 16 });
      expect(summary.rejected).toEqual([]);
      await harness.idle();
      await expectAllMonths(harness);
    } finally {
      await harness.stop();
    }
  });

  test('a stats worker killed with SIGKILL halfway and restarted: same numbers', async () => {
    const slow = { STATS_CONCURRENCY: '1', STATS_BATCH_MS: '0' };
    const harness = await new PipelineHarness().start({ workers: 0 });
    try {
      const summary = await replayUpdates(updates, { webhook: harness.webhook, secret: SECRET, rate: 0, concurrency: 16 });
      expect(summary.delivered).toBe(updates.length);
      const worker = await harness.startWorker(slow);
      await waitForStoredMessages(harness, 150);
      await worker.stop('SIGKILL');
      expect(await storedMessages(harness)).toBeLessThan(410);
      await harness.startWorker(slow);
      await harness.idle(180_000);
      await expectAllMonths(harness);
    } finally {
      await harness.stop();
    }
  });

  test('`kraken import` of the same export gives the same months as the replay, and twice changes nothing', async () => {
    const replayed = await new PipelineHarness().start();
    const imported = await new PipelineHarness().start({ workers: 0 });
    try {
      await replayUpdates(updates, { webhook: replayed.webhook, secret: SECRET, rate: 0, concurrency: 8 });
      await replayed.idle();
      for (let i = 0; i < 2; i++) {
        const result = await runCli(['import', EXPORT_FILE], imported.env);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
      }
      for (const month of months) expect(await imported.stats(month)).toEqual(await replayed.stats(month));
    } finally {
      await Promise.all([replayed.stop(), imported.stop()]);
    }
  });
});

/** Messages stored so far, per `kraken months --json`. */
async function storedMessages(harness: PipelineHarness): Promise<number> {
  const result = await runCli(['months', '--chat', String(CHAT_ID), '--json'], harness.env);
  return result.code === 0 ? JSON.parse(result.stdout).reduce((sum: number, m: { messages: number }) => sum + m.messages, 0) : 0;
}

/** Polls until at least `n` messages are stored. */
async function waitForStoredMessages(harness: PipelineHarness, n: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await storedMessages(harness)) >= n) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`fewer than ${n} messages stored after 40 s`);
}
