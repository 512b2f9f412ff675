import { ChatHarness } from './chat-harness';

const users = Array.from({ length: 31 }, (_, i) => ({ id: 1300 + i, first_name: `User${i}` }));

/**
 * Issue 8, item 4: an answer job must not hold an llm-worker slot while its chat's outbox limit
 * (Telegram's 1 message/s per chat, 20/min per group) holds its reply back; otherwise one busy chat
 * delays every other chat's answers until its backlog drains.
 */
describe('one busy chat does not stall answers in other chats', () => {
  const h = new ChatHarness();
  beforeAll(() =>
    // Telegram's real per-chat limits; a few answer slots, so a held-back chat could fill them all.
    h.start({ env: { OUTBOX_CHAT_PER_SECOND: '1', OUTBOX_GROUP_PER_MINUTE: '20', LLM_WORKER_CONCURRENCY: '4' } }),
  );
  afterAll(() => h.stop());

  it('with 30 triggers queued in chat A, chat B is answered before A’s backlog drains', async () => {
    const chatA = { id: -7001 };
    const chatB = { id: -7002 };
    for (let i = 0; i < 30; i++) await h.send(chatA, users[i], `Кракен, вопрос номер ${i}?`);
    const inB = await h.send(chatB, users[30], 'Кракен, а у нас что нового?');

    const [replyB] = await h.waitForReplies(chatB.id, inB.message_id, 1, 25_000);
    const accepted = h.emulator.calls('sendMessage').filter((c) => c.response.status === 200);
    const repliesToABeforeB = accepted.slice(0, accepted.indexOf(replyB)).filter((c) => Number(c.params.chat_id) === chatA.id);
    // A can send one message per second: B's reply must not wait behind A's 30 (it waited for ~25 before).
    expect(repliesToABeforeB.length).toBeLessThan(15);
    // A's backlog is worked off at A's pace, one reply per trigger (the outbox does not keep their order).
    await h.waitForReplies(chatA.id, 1, 1, 10_000);
    const quoted = h.emulator.calls('sendMessage').filter((c) => Number(c.params.chat_id) === chatA.id).map((c) => (c.params.reply_parameters as { message_id: number }).message_id);
    expect(new Set(quoted).size).toBe(quoted.length);
  }, 60_000);
});
