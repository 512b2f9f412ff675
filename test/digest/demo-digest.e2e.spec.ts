import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MonthlyStatsQuery } from '@kraken/stats';
import { startApp, type AppProcess } from '@kraken/testing';
import { askKraken, publishDemoDigest, type DemoTarget } from '../../tools/dev/demo/demo-digest';
import { CHANNEL, DigestHarness, MODERATION_CHAT, SECRET } from './support/digest-harness';
import { DEMO_TZ } from './support/demo-data';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const HEADLINES = Array.from({ length: 10 }, (_, i) => `> 🦑 заголовок демо номер ${i + 1}`);

/**
 * Issue 10 §6: the core of `scripts/demo.sh` (tools/dev/demo) against the apps as processes — gateway,
 * stats worker, digest-worker, llm-worker — on the real export, with the emulator's control API and a
 * fake OpenAI-compatible provider: the digest is published to the channel (chart + memes as one media
 * group, the post with the numbers and the LLM's ten headlines), the chart PNG is saved, and a question
 * in the group gets the LLM's answer.
 */
describe('the demo publishes the busiest month’s digest and asks Kraken a question', () => {
  const h = new DigestHarness();
  let llmWorker: AppProcess | undefined;
  const out = mkdtempSync(join(tmpdir(), 'kraken-demo-test-'));
  let target: DemoTarget;

  beforeAll(async () => {
    await h.start({ digestWorkers: 1 });
    target = {
      emulatorRoot: h.emulator.apiRoot,
      webhook: `http://127.0.0.1:${h.env.PORT}/telegram/webhook`,
      secret: SECRET,
      groupId: h.chatId,
      moderationChatId: MODERATION_CHAT,
      channelId: CHANNEL,
    };
  }, 90_000);
  afterAll(async () => {
    await llmWorker?.stop();
    await h.stop();
    rmSync(out, { recursive: true, force: true });
  });

  test('the channel gets the chart and the three memes as one media group, then the numbers and the ten headlines; the chart is saved', async () => {
    h.llm.respond = () => ({ text: HEADLINES.map((x, i) => `${i + 1}. ${x}`).join('\n') });
    const digest = await publishDemoDigest(target, h.monthText, out, () => h.idle('stats'));

    expect(digest.memes).toBe(3);
    expect(digest.album).toHaveLength(4);
    const png = readFileSync(digest.chartPath);
    expect(digest.chartPath).toBe(join(out, `digest-${h.monthText}.png`));
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');

    const text = digest.texts.join('\n');
    const s = await new MonthlyStatsQuery(h.prisma).compute(h.chatId, h.month, DEMO_TZ);
    expect(s.memes).toEqual({ submitted: 3, approved: 3, rejected: 0, pending: 0 });
    for (const line of [`Сообщений: ${s.messages} `, `Активных участников: ${s.activeParticipants}`, 'Мемы: предложено 3 · одобрено 3 · отклонено 0 · ждут 0', ...HEADLINES, '— 12 реакций']) {
      expect(text).toContain(line);
    }
    // As the channel shows it: formatting applied, no HTML tags left.
    expect(text).not.toMatch(/<\/?(b|i|a)\b/);
    const digestRow = await h.prisma.digest.findFirstOrThrow({ where: { chatId: BigInt(h.chatId), month: h.monthText } });
    expect(digestRow).toMatchObject({ status: 'published', headlinesSource: 'llm' });
  });

  test('a question in the group gets the llm-worker’s answer', async () => {
    llmWorker = await startApp('llm-worker', h.env);
    h.llm.respond = () => ({ text: 'Чаще всего здесь говорят о хакатонах.' });
    expect(await askKraken(target, 'Кракен, о чём чаще всего говорят в этом чате?', 60_000)).toBe('Чаще всего здесь говорят о хакатонах.');
  });
});
