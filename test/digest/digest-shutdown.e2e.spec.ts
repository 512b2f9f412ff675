import { startApp, type AppProcess, type RecordedCall } from '@kraken/testing';
import { ADMIN_1, CHANNEL, DigestHarness } from './support/digest-harness';

/**
 * Issue 10 ("One queue foundation", section 3): a digest publish running when its digest-worker gets
 * SIGTERM keeps the outbox's results of its calls. Gateway (with the outbox worker) and digest workers
 * as processes; Telegram's answer to the digest's first channel post is held back by the emulator so
 * the signal arrives while the publish waits for it.
 */
const MEDIA_METHODS = new Set(['sendMediaGroup', 'sendPhoto']);
const toChannel = (call: RecordedCall) => Number(call.params.chat_id) === CHANNEL && call.response.status === 200;
const isMedia = (call: RecordedCall) => toChannel(call) && MEDIA_METHODS.has(call.method);
const isText = (call: RecordedCall) => toChannel(call) && call.method === 'sendMessage';
const result = (call: RecordedCall) => (call.response.body as { result: unknown }).result;
/** Message ids Telegram gave the messages of `calls` (a media group answers with several). */
const sentIds = (calls: RecordedCall[]) => calls.flatMap((c) => [result(c)].flat() as Array<{ message_id: number }>).map((m) => m.message_id);

describe('SIGTERM during a digest publish (processes)', () => {
  const h = new DigestHarness();
  const extra: AppProcess[] = [];

  // Long job locks: a run is re-run only when this test hands it back, never because a loaded machine
  // let its lock expire (so `attempts` counts the runs the scenario makes).
  beforeAll(() => h.start({ statsWorker: false, digestWorkers: 1, env: { SHUTDOWN_GRACE_MS: '30000', DIGEST_LOCK_MS: '30000' } }), 90_000);
  afterAll(async () => {
    await Promise.all(extra.map((worker) => worker.stop('SIGKILL')));
    await h.stop();
  });

  /** Posts `/digest publish <month> [--force]` from an admin in the group. */
  const command = (messageId: number, text: string) =>
    h.post({ message: { message_id: messageId, date: h.dateIn(25), chat: { id: h.chatId, type: 'supergroup', title: 'ENSIA IMPACT © Group' }, from: ADMIN_1, text } });
  const replied = (pattern: RegExp) =>
    h.emulator.waitFor((c) => Number(c.params.chat_id) === h.chatId && c.method === 'sendMessage' && pattern.test(String(c.params.text)), { timeoutMs: 60_000 });
  const digestRow = (revision: number) =>
    h.prisma.digest.findUniqueOrThrow({ where: { chatId_month_revision: { chatId: BigInt(h.chatId), month: h.monthText, revision } } });

  test('the worker drains: the publish waiting for its media post gets the result and finishes there, once', async () => {
    const [worker] = h.digestWorkers;
    h.emulator.addLatency({ chatId: CHANNEL, ms: 3000, times: 1 });
    await command(910_001, `/digest publish ${h.monthText}`);
    await h.emulator.waitFor(isMedia, { timeoutMs: 60_000 });
    const exit = worker!.stop('SIGTERM');

    await replied(/опубликован\.$/);
    expect(await exit).toBe(0);
    expect(worker!.logs.some((line) => line.includes('digest published'))).toBe(true);
    expect(worker!.logs.some((line) => line.includes('handed back'))).toBe(false);

    const media = h.emulator.calls(isMedia);
    expect(media).toHaveLength(1);
    const texts = h.emulator.calls(isText);
    expect(texts.length).toBeGreaterThanOrEqual(1);
    expect(new Set(texts.map((t) => t.params.text)).size).toBe(texts.length);
    expect(texts.every((t) => t.seq > media[0]!.seq)).toBe(true);
    const row = await digestRow(0);
    expect(row).toMatchObject({ status: 'published', attempts: 1, mediaMessageIds: sentIds(media), textMessageIds: sentIds(texts) });
  });

  test('the grace period ends mid-publish: the job is handed back and another worker resumes it, posting each part once', async () => {
    const since = Math.max(0, ...h.emulator.calls().map((c) => c.seq));
    const later = (matcher: (call: RecordedCall) => boolean) => (call: RecordedCall) => call.seq > since && matcher(call);
    const victim = await startApp('digest-worker', { ...h.env, SHUTDOWN_GRACE_MS: '1000' });
    extra.push(victim);
    // Long enough for a second worker to start while the victim's publish waits for this answer.
    h.emulator.addLatency({ chatId: CHANNEL, ms: 20_000, times: 1 });
    await command(910_002, `/digest publish ${h.monthText} --force`);
    await h.emulator.waitFor(later(isMedia), { timeoutMs: 60_000 });
    const rescuer = await startApp('digest-worker', h.env);
    extra.push(rescuer);
    expect(await victim.stop('SIGTERM')).toBe(0);
    expect(victim.logs.some((line) => line.includes('handed back'))).toBe(true);

    await replied(/опубликован повторно\.$/);
    await h.idle('digest');
    const media = h.emulator.calls(later(isMedia));
    expect(media).toHaveLength(1);
    const texts = h.emulator.calls(later(isText));
    expect(texts.length).toBeGreaterThanOrEqual(1);
    expect(new Set(texts.map((t) => t.params.text)).size).toBe(texts.length);
    const row = await digestRow(1);
    expect(row).toMatchObject({ status: 'published', attempts: 2, mediaMessageIds: sentIds(media), textMessageIds: sentIds(texts) });
    expect(rescuer.logs.some((line) => line.includes('digest published'))).toBe(true);
  });
});
