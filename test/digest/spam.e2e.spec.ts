import { QueueName } from '@kraken/contracts';
import type { RecordedCall } from '@kraken/testing';
import { DigestHarness, MODERATION_CHAT, STRANGER } from './support/digest-harness';

const to = (chatId: number, method: string) => (call: RecordedCall) => call.method === method && Number(call.params.chat_id) === chatId && call.response.status === 200;
const replyTo = (messageId: number) => (call: RecordedCall) => (call.params.reply_parameters as { message_id?: number } | undefined)?.message_id === messageId;

/**
 * Issue 8, item 10: commands and meme hints must not amplify a flood. Processes: gateway, stats worker
 * and two digest workers; a user floods `/digest`, `/meme` without media, and private submissions.
 */
describe('floods of /digest, /meme and private meme submissions (processes)', () => {
  const h = new DigestHarness();
  beforeAll(() => h.start({ env: { MEME_SUBMISSIONS_PER_DAY: '2', CHAT_REFUSAL_WINDOW_SECONDS: '600' } }), 60_000);
  afterAll(() => h.stop());

  test('a non-admin’s /digest flood gets one refusal', async () => {
    const group = { id: h.chatId, type: 'supergroup', title: 'ENSIA IMPACT © Group' };
    const ids = [950_001, 950_002, 950_003, 950_004];
    for (const id of ids) await h.post({ message: { message_id: id, date: h.dateIn(10), chat: group, from: STRANGER, text: id % 2 ? '/digest publish' : '/digest' } });
    await h.idle(QueueName.Digest);
    await h.idle(QueueName.Outbox);
    const replies = ids.map((id) => h.emulator.calls((c) => to(h.chatId, 'sendMessage')(c) && replyTo(id)(c)).length);
    expect(replies).toEqual([1, 0, 0, 0]);
  });

  test('a /meme flood without media gets one hint', async () => {
    const group = { id: h.chatId, type: 'supergroup', title: 'ENSIA IMPACT © Group' };
    const ids = [951_001, 951_002, 951_003];
    for (const id of ids) await h.post({ message: { message_id: id, date: h.dateIn(10), chat: group, from: STRANGER, text: '/meme' } });
    await h.idle(QueueName.Outbox);
    const replies = ids.map((id) => h.emulator.calls((c) => to(h.chatId, 'sendMessage')(c) && replyTo(id)(c)).length);
    expect(replies).toEqual([1, 0, 0]);
  });

  test('private submissions over MEME_SUBMISSIONS_PER_DAY: told once, then dropped', async () => {
    const chat = { id: STRANGER.id, type: 'private', first_name: 'Stranger' };
    for (let i = 1; i <= 4; i++) {
      const photo = [{ file_id: `flood-photo-${i}`, file_unique_id: `flood-unique-${i}`, width: 800, height: 600 }];
      await h.post({ message: { message_id: 100 + i, date: h.dateIn(11), chat, from: STRANGER, photo } });
    }
    await h.idle(QueueName.Memes);
    await h.idle(QueueName.Outbox);
    expect(h.emulator.calls(to(MODERATION_CHAT, 'sendPhoto'))).toHaveLength(2);
    const texts = h.emulator.calls(to(STRANGER.id, 'sendMessage')).map((c) => String(c.params.text));
    expect(texts.filter((t) => t.includes('на модерацию'))).toHaveLength(2);
    expect(texts.filter((t) => t.includes('лимит предложений'))).toEqual(['На сегодня лимит предложений исчерпан (не больше 2 в день). Приходи завтра!']);
    expect(texts).toHaveLength(3);
  });
});
