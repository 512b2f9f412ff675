import { formatMonth, monthOf, nextMonth } from '@kraken/stats';
import type { RecordedCall } from '@kraken/testing';
import { ADMIN_1, CHANNEL, DigestHarness } from './support/digest-harness';
import { DEMO_TZ } from './support/demo-data';

/**
 * Which months `/digest` accepts and what publishing costs, end to end (gateway and a digest worker as
 * processes, the real export in PostgreSQL, the Bot API emulator and a fake LLM):
 * - only finished months (in KRAKEN_TIMEZONE) are previewed or published; the current or a future
 *   month is refused and leaves no Digest row behind that would block the real digest;
 * - `--force` re-posts a published (or skipped) month as a new revision recording the admin;
 * - publishing after a preview of the same month and data reuses the preview's headlines (one LLM call);
 * - a month without messages never reaches the LLM; with DIGEST_EMPTY_MONTH=skip it is not posted.
 */
const HEADLINES = Array.from({ length: 10 }, (_, i) => `> 🐙 щупальце номер ${i + 1} дотянулось до чата`);
const EMPTY_MONTH = '2021-01';
const to = (chatId: number, method?: string) => (call: RecordedCall) =>
  (method === undefined || call.method === method) && Number(call.params.chat_id) === chatId && call.response.status === 200;

describe('/digest months: finished only, --force, preview reuse, empty months (processes, real export)', () => {
  const h = new DigestHarness();
  let messageId = 950_000;

  beforeAll(() => h.start({ env: { DIGEST_EMPTY_MONTH: 'skip' }, statsWorker: false, digestWorkers: 1 }), 60_000);
  afterAll(() => h.stop());

  /** Sends `/digest <args>` in the group as ADMIN_1 and returns the bot's reply to it. */
  async function command(args: string): Promise<string> {
    const id = ++messageId;
    const group = { id: h.chatId, type: 'supergroup', title: 'ENSIA IMPACT © Group' };
    await h.post({ message: { message_id: id, date: h.dateIn(20), chat: group, from: ADMIN_1, text: `/digest ${args}` } });
    const [reply] = await h.emulator.waitFor(
      (c) => to(h.chatId, 'sendMessage')(c) && (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id === id,
      { timeoutMs: 60_000 },
    );
    return String(reply.params.text);
  }

  const digestRows = (month: string) =>
    h.prisma.digest.findMany({ where: { chatId: BigInt(h.chatId), month }, orderBy: { revision: 'asc' } });

  test('the current and a future month are refused: nothing posted, no LLM call, no Digest row', async () => {
    const current = monthOf(new Date(), DEMO_TZ);
    for (const month of [formatMonth(current), formatMonth(nextMonth(current)), '2099-12']) {
      expect(await command(`publish ${month}`)).toMatch(/ещё не закончился/);
      expect(await digestRows(month)).toEqual([]);
    }
    expect(await command(`preview ${formatMonth(current)}`)).toMatch(/ещё не закончился/);
    expect(await command(`publish ${formatMonth(current)} --force`)).toMatch(/ещё не закончился/);
    expect(h.emulator.calls(to(CHANNEL))).toHaveLength(0);
    expect(h.llm.requests).toHaveLength(0);
  });

  test('publishing after a preview of the same month reuses its headlines: one LLM call for both', async () => {
    h.llm.respond = () => ({ text: HEADLINES.join('\n') });
    expect(await command(`preview ${h.monthText}`)).toMatch(/Превью/);
    expect(h.llm.requests).toHaveLength(1);
    expect(await command(`publish ${h.monthText}`)).toMatch(/опубликован\.$/);
    expect(h.llm.requests).toHaveLength(1);
    const text = h.emulator.calls(to(CHANNEL, 'sendMessage')).map((c) => String(c.params.text)).join('\n');
    for (const headline of HEADLINES) expect(text).toContain(headline.replace('>', '&gt;'));
    const [row] = await digestRows(h.monthText);
    expect(row).toMatchObject({ revision: 0, status: 'published', headlinesSource: 'llm', forcedById: null });
  });

  test('a published month is not posted again unless an admin forces it; the re-post is recorded as revision 1', async () => {
    const posted = h.emulator.calls(to(CHANNEL)).length;
    expect(await command(`publish ${h.monthText}`)).toMatch(/уже опубликован/);
    expect(h.emulator.calls(to(CHANNEL))).toHaveLength(posted);

    expect(await command(`publish ${h.monthText} --force`)).toMatch(/опубликован повторно/);
    expect(h.emulator.calls(to(CHANNEL, 'sendMediaGroup')).length + h.emulator.calls(to(CHANNEL, 'sendPhoto')).length).toBe(2);
    const rows = await digestRows(h.monthText);
    expect(rows.map((r) => [r.revision, r.status, r.forcedById])).toEqual([
      [0, 'published', null],
      [1, 'published', BigInt(ADMIN_1.id)],
    ]);
    expect(rows[1].forceJobId).toMatch(/^tg-\d+$/);
    expect(h.llm.requests).toHaveLength(1);
  });

  test('a month without messages never reaches the LLM; with DIGEST_EMPTY_MONTH=skip it is skipped until forced', async () => {
    const posted = h.emulator.calls(to(CHANNEL)).length;
    expect(await command(`publish ${EMPTY_MONTH}`)).toMatch(/не было сообщений/);
    expect(h.emulator.calls(to(CHANNEL))).toHaveLength(posted);
    expect((await digestRows(EMPTY_MONTH)).map((r) => r.status)).toEqual(['skipped']);

    expect(await command(`publish ${EMPTY_MONTH} --force`)).toMatch(/опубликован повторно/);
    const [post] = h.emulator.calls(to(CHANNEL, 'sendMessage')).slice(-1);
    expect(String(post.params.text)).toContain('Сообщений: 0');
    expect(String(post.params.text)).toContain('не было ни одного сообщения');
    expect((await digestRows(EMPTY_MONTH)).map((r) => [r.revision, r.status])).toEqual([
      [0, 'skipped'],
      [1, 'published'],
    ]);
    expect(h.llm.requests).toHaveLength(1);
  });
});
