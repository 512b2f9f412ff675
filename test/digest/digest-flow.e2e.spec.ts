import { DigestJob, QueueName } from '@kraken/contracts';
import { redisConnection } from '@kraken/redis';
import { MonthlyStatsQuery } from '@kraken/stats';
import type { RecordedCall } from '@kraken/testing';
import { Queue } from 'bullmq';
import { ADMIN_1, ADMIN_2, CHANNEL, DigestHarness, MODERATION_CHAT, STRANGER, SUBMITTER } from './support/digest-harness';
import { DEMO_TZ } from './support/demo-data';

/**
 * Issue "Memes and the monthly digest", end to end on the real export: gateway, stats worker and two
 * digest workers as processes, the Bot API emulator and a fake LLM in this process.
 */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const HEADLINES = Array.from({ length: 10 }, (_, i) => `> 🦑 «кракен всплыл ${i + 1}-й раз» — чат в шоке`);
const to = (chatId: number, method?: string) => (call: RecordedCall) =>
  (method === undefined || call.method === method) && Number(call.params.chat_id) === chatId && call.response.status === 200;
const result = (call: RecordedCall) => (call.response.body as { result: any }).result;
/** The submitter's caption, with characters Telegram HTML needs escaped. */
const CAPTION = 'Когда <b>тесты</b> & прод зелёные';
const CAPTION_HTML = 'Когда &lt;b&gt;тесты&lt;/b&gt; &amp; прод зелёные';

describe('memes and the monthly digest (processes, real export)', () => {
  const h = new DigestHarness();
  let card: Record<string, any>;
  let memeId: number;

  beforeAll(() => h.start(), 60_000);
  afterAll(() => h.stop());

  test('a photo sent in private goes to moderation with its caption and Approve/Reject buttons; the same file again is refused', async () => {
    const photo = [{ file_id: 'meme-photo-1', file_unique_id: 'meme-unique-1', width: 800, height: 600 }];
    await h.post({ message: { message_id: 11, date: h.dateIn(15), chat: { id: SUBMITTER.id, type: 'private', first_name: 'Sveta' }, from: SUBMITTER, photo, caption: CAPTION } });
    const [cardCall] = await h.emulator.waitFor(to(MODERATION_CHAT, 'sendPhoto'), { timeoutMs: 15_000 });
    card = result(cardCall);
    expect(cardCall.params.photo).toBe('meme-photo-1');
    expect(cardCall.params.caption).toContain(`Подпись: ${CAPTION_HTML}\nОтклонить с причиной`);
    expect(card.caption).toContain(`Подпись: ${CAPTION}`);
    const buttons = (cardCall.params.reply_markup as any).inline_keyboard[0];
    memeId = Number(/^meme:a:(\d+)$/.exec(buttons[0].callback_data)![1]);
    expect(buttons.map((b: any) => b.callback_data)).toEqual([`meme:a:${memeId}`, `meme:r:${memeId}`]);
    const [ack] = await h.emulator.waitFor(to(SUBMITTER.id, 'sendMessage'), { timeoutMs: 10_000 });
    expect(ack.params.text).toContain('на модерацию');

    await h.post({ message: { message_id: 3, date: h.dateIn(16), chat: { id: STRANGER.id, type: 'private', first_name: 'Stranger' }, from: STRANGER, photo: [{ ...photo[0], file_id: 'other-id' }] } });
    const [refusal] = await h.emulator.waitFor(to(STRANGER.id, 'sendMessage'), { timeoutMs: 10_000 });
    expect(refusal.params.text).toContain('уже предлагали');
    expect(h.emulator.calls(to(MODERATION_CHAT, 'sendPhoto'))).toHaveLength(1);
  });

  test('a non-admin press is refused and changes nothing', async () => {
    await h.post({ callback_query: { id: 'cq-stranger', from: STRANGER, chat_instance: 'ci', data: `meme:a:${memeId}`, message: card } });
    const [answer] = await h.emulator.waitFor((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === 'cq-stranger', { timeoutMs: 10_000 });
    expect(answer.params).toMatchObject({ show_alert: true, text: expect.stringContaining('только админы') });
    expect((await h.prisma.meme.findUniqueOrThrow({ where: { id: BigInt(memeId) } })).status).toBe('submitted');
  });

  test('two admins press Approve at once: one decision, one channel post with the caption and credit, the submitter told', async () => {
    await Promise.all([
      h.post({ callback_query: { id: 'cq-admin-1', from: ADMIN_1, chat_instance: 'ci', data: `meme:a:${memeId}`, message: card } }),
      h.post({ callback_query: { id: 'cq-admin-2', from: ADMIN_2, chat_instance: 'ci', data: `meme:a:${memeId}`, message: card } }),
    ]);
    const answers = await h.emulator.waitFor((c) => c.method === 'answerCallbackQuery' && /cq-admin/.test(String(c.params.callback_query_id)), { count: 2, timeoutMs: 15_000 });
    const texts = answers.map((a) => String(a.params.text)).sort();
    expect(texts[0]).toMatch(/^Одобрено/);
    expect(texts[1]).toMatch(/^Уже решено: одобрено\. Модератор: (Alice|Boris)\.$/);
    const [post] = await h.emulator.waitFor(to(CHANNEL, 'sendPhoto'), { timeoutMs: 15_000 });
    expect(post.params).toMatchObject({ photo: 'meme-photo-1', caption: `${CAPTION_HTML}\n\nАвтор: Sveta` });
    expect(result(post).caption).toBe(`${CAPTION}\n\nАвтор: Sveta`);
    await h.emulator.waitFor(to(SUBMITTER.id, 'sendMessage'), { count: 2, timeoutMs: 10_000 });
    const [decided] = await h.emulator.waitFor((c) => c.method === 'editMessageCaption' && c.params.message_id === card.message_id, { timeoutMs: 10_000 });
    expect(decided.params.caption).toContain(`Подпись: ${CAPTION_HTML}\n✅ Одобрено. Модератор:`);
    expect(decided.params.caption).not.toContain('/reject');
    await h.idle(QueueName.Memes);
    expect(h.emulator.calls(to(CHANNEL, 'sendPhoto'))).toHaveLength(1);
    const meme = await h.prisma.meme.findUniqueOrThrow({ where: { id: BigInt(memeId) } });
    expect(meme).toMatchObject({ status: 'approved', channelChatId: BigInt(CHANNEL), channelMessageId: result(post).message_id });
  });

  test('/meme replying to a video with a 1,024-character caption submits it for its author; /reject with a reason rejects it', async () => {
    const group = { id: h.chatId, type: 'supergroup', title: 'ENSIA IMPACT © Group' };
    const longCaption = '<&>'.repeat(341) + 'к';
    const video = { message_id: 800_001, date: h.dateIn(17), chat: group, from: STRANGER, caption: longCaption, video: { file_id: 'meme-video-1', file_unique_id: 'meme-unique-2', width: 640, height: 360, duration: 3 } };
    await h.post({ message: { message_id: 800_002, date: h.dateIn(17), chat: group, from: SUBMITTER, text: '/meme', reply_to_message: video } });
    const [cardCall] = await h.emulator.waitFor(to(MODERATION_CHAT, 'sendVideo'), { timeoutMs: 30_000 });
    expect(cardCall.params).toMatchObject({ video: 'meme-video-1', caption: expect.stringContaining('Автор: Stranger · отправитель: Sveta\nПодпись: &lt;&amp;&gt;') });
    const shown = String(result(cardCall).caption);
    expect(shown.length).toBeLessThanOrEqual(1024);
    expect(shown).toMatch(/…\nОтклонить с причиной/);
    // The card is recorded once the submission job has stored its message id, just after sendVideo
    // returned: a reply to the card before that finds no meme (a moderator is never that fast).
    await h.idle(QueueName.Memes);
    await h.post({ message: { message_id: 77, date: h.dateIn(18), chat: { id: MODERATION_CHAT, type: 'supergroup', title: 'Moderation' }, from: ADMIN_1, text: '/reject баян', reply_to_message: result(cardCall) } });
    await h.emulator.waitFor((c) => c.method === 'editMessageCaption' && c.params.message_id === result(cardCall).message_id && /Отклонено\. Модератор: Alice\. Причина: баян/.test(String(c.params.caption)), { timeoutMs: 15_000 });
    await h.emulator.waitFor((c) => to(SUBMITTER.id, 'sendMessage')(c) && /Причина: баян/.test(String(c.params.text)), { timeoutMs: 10_000 });
    await h.idle(QueueName.Memes);
    expect(h.emulator.calls(to(CHANNEL, 'sendVideo'))).toHaveLength(0);
  });

  test('/digest publish with two workers, the publishing one killed mid-publish: one media group (chart PNG + the meme), one post with the numbers and the LLM headlines', async () => {
    const [post] = h.emulator.calls(to(CHANNEL, 'sendPhoto'));
    await h.post({
      message_reaction_count: {
        chat: { id: CHANNEL, type: 'channel', title: 'Kraken memes' },
        message_id: result(post).message_id,
        date: h.dateIn(21),
        reactions: [{ type: { type: 'emoji', emoji: '🔥' }, total_count: 5 }, { type: { type: 'emoji', emoji: '😂' }, total_count: 2 }],
      },
    });
    await h.idle('stats');
    h.llm.respond = () => ({ text: ['```python', 'headlines = [', ...HEADLINES.map((x, i) => `    "${i + 1}. ${x}",`), ']', '```'].join('\n') });

    let killed: string | undefined;
    const stopListening = h.emulator.onCall((call) => {
      if (killed || call.method !== 'sendMediaGroup' || Number(call.params.chat_id) !== CHANNEL) return;
      const publisher = h.digestWorkers.find((w) => w.logs.some((line) => line.includes('digest claimed')))!;
      killed = publisher.name + publisher.child.pid;
      publisher.child.kill('SIGKILL');
    });
    const group = { id: h.chatId, type: 'supergroup', title: 'ENSIA IMPACT © Group' };
    await h.post({ message: { message_id: 900_001, date: h.dateIn(25), chat: group, from: ADMIN_1, text: `/digest publish ${h.monthText}` } });
    const [reply] = await h.emulator.waitFor((c) => to(h.chatId, 'sendMessage')(c) && /опубликован/.test(String(c.params.text)), { timeoutMs: 60_000 });
    stopListening();
    expect(killed).toBeDefined();
    expect(reply.params.text).toBe(`Дайджест за ${['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'][h.month.month - 1]} ${h.month.year} опубликован.`);

    const albums = h.emulator.calls(to(CHANNEL, 'sendMediaGroup'));
    expect(albums).toHaveLength(1);
    const media = albums[0].params.media as Array<{ type: string; media: string }>;
    expect(media.map((m) => m.type)).toEqual(['photo', 'photo']);
    expect(media[1].media).toBe('meme-photo-1');
    const chart = albums[0].mediaUploads![0]!;
    expect(chart.data.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(chart.data.toString('latin1', 12, 16)).toBe('IHDR');

    const texts = h.emulator.calls(to(CHANNEL, 'sendMessage'));
    expect(texts.length).toBeGreaterThanOrEqual(1);
    expect(texts.every((t) => t.seq > albums[0].seq)).toBe(true);
    const text = texts.map((t) => String(t.params.text)).join('\n');
    const s = await new MonthlyStatsQuery(h.prisma).compute(h.chatId, h.month, DEMO_TZ);
    expect(s.memes).toEqual({ submitted: 2, approved: 1, rejected: 1, pending: 0 });
    const kinds: Record<string, string> = { text: 'текст', photo: 'фото', video: 'видео', animation: 'GIF', sticker: 'стикеры', voice: 'голосовые', video_note: 'кружки', audio: 'аудио', document: 'файлы', poll: 'опросы', story: 'истории', other: 'прочее' };
    const escape = (x: string) => x.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    for (const line of [
      `Сообщений: ${s.messages} `,
      `Активных участников: ${s.activeParticipants}`,
      `(было ${s.activeParticipantsPrev})`,
      `Вступили: ${s.joins} · вышли: ${s.leaves}`,
      `Ответов: ${s.replies} · пересылок: ${s.forwards} · историй: ${s.stories} · правок: ${s.edits}`,
      `По типам: ${Object.entries(s.byKind).filter(([, n]) => n > 0).map(([k, n]) => `${kinds[k]} ${n}`).join(' · ')}`,
      `Самый активный день: ${s.busiestDay!.date.split('-').reverse().join('.')} — ${s.busiestDay!.messages} `,
      `Больше всех писали: ${s.topPosters.map((p) => `${escape(p.name)} (${p.messages})`).join(', ')}`,
      'Мемы: предложено 2 · одобрено 1 · отклонено 1 · ждут 0',
      ...HEADLINES.map(escape),
      '1. <a href="https://t.me/c/1000000888/',
      '— 7 реакций',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).not.toContain('⚙️');
    const digest = await h.prisma.digest.findUniqueOrThrow({ where: { chatId_month_revision: { chatId: BigInt(h.chatId), month: h.monthText, revision: 0 } } });
    expect(digest).toMatchObject({ status: 'published', headlinesSource: 'llm', attempts: 2, mediaMessageIds: albums[0] && (result(albums[0]) as any[]).map((m) => m.message_id) });
  });

  test('re-running the schedule for the published month, or /digest publish again, sends nothing', async () => {
    const before = h.emulator.calls(to(CHANNEL)).length;
    const queue = new Queue(QueueName.Digest, { connection: redisConnection(h.env.REDIS_URL, 'producer'), prefix: h.env.QUEUE_PREFIX });
    try {
      await queue.add(DigestJob.Monthly, { month: h.monthText });
      await new Promise((r) => setTimeout(r, 500));
      await h.idle(QueueName.Digest);
      const publish = await queue.getJob(`digest-${h.chatId}-${h.monthText}`);
      expect(publish?.returnvalue).toEqual({ outcome: 'already-published' });
    } finally {
      await queue.close();
    }
    const group = { id: h.chatId, type: 'supergroup', title: 'ENSIA IMPACT © Group' };
    await h.post({ message: { message_id: 900_002, date: h.dateIn(26), chat: group, from: ADMIN_2, text: `/digest publish ${h.monthText}` } });
    await h.emulator.waitFor((c) => to(h.chatId, 'sendMessage')(c) && /уже опубликован/.test(String(c.params.text)), { timeoutMs: 15_000 });
    expect(h.emulator.calls(to(CHANNEL))).toHaveLength(before);
  });

  test('/digest preview goes only to the asking admin, in private; a non-admin is refused', async () => {
    const group = { id: h.chatId, type: 'supergroup', title: 'ENSIA IMPACT © Group' };
    const before = h.emulator.calls(to(CHANNEL)).length;
    await h.post({ message: { message_id: 900_003, date: h.dateIn(27), chat: group, from: ADMIN_2, text: `/digest preview ${h.monthText}` } });
    await h.emulator.waitFor((c) => to(h.chatId, 'sendMessage')(c) && /Превью/.test(String(c.params.text)), { timeoutMs: 20_000 });
    expect(h.emulator.calls(to(ADMIN_2.id, 'sendMediaGroup'))).toHaveLength(1);
    expect(h.emulator.calls(to(ADMIN_2.id, 'sendMessage')).length).toBeGreaterThanOrEqual(1);
    await h.post({ message: { message_id: 900_004, date: h.dateIn(27), chat: group, from: STRANGER, text: '/digest publish' } });
    await h.emulator.waitFor((c) => to(h.chatId, 'sendMessage')(c) && /только для администраторов/.test(String(c.params.text)), { timeoutMs: 15_000 });
    expect(h.emulator.calls(to(CHANNEL))).toHaveLength(before);
  });
});
