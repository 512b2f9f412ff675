import type { MemeSubmitJob } from '@kraken/contracts';
import { PrismaService } from '@kraken/db';
import { bestMemesOfMonth, channelPostLink, MemeStore } from '@kraken/memes';
import { FactWriter, MonthlyStatsQuery, parseMonth, toBatch } from '@kraken/stats';
import { createTestPrisma, type TestPrisma } from '@kraken/testing';

const GROUP = -100500;
const CHANNEL = -100900;
const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function submission(n: number, iso: string, extra: Partial<MemeSubmitJob> = {}): MemeSubmitJob {
  return {
    updateId: n,
    via: 'command',
    chat: { id: GROUP, type: 'supergroup', title: 'G' },
    mediaMessageId: 100 + n,
    replyToMessageId: 200 + n,
    date: at(iso),
    submitter: { id: 7, name: 'Ann' },
    author: { id: 8, name: 'Bob', username: 'bob' },
    media: { kind: 'photo', fileId: `file-${n}`, fileUniqueId: `unique-${n}` },
    ...extra,
  };
}

describe('MemeStore and the best memes on PostgreSQL', () => {
  let fixture: TestPrisma;
  let prisma: PrismaService;
  let store: MemeStore;

  beforeEach(async () => {
    fixture = await createTestPrisma({ poolSize: 4 });
    prisma = fixture.prisma;
    store = new MemeStore(prisma);
  });
  afterEach(async () => {
    await fixture.close();
  });

  test('a file is accepted once: the same message again is the same submission, another message a duplicate', async () => {
    const first = await store.submit(submission(1, '2025-03-02T10:00:00Z'), GROUP);
    expect(first).toMatchObject({ kind: 'accepted', created: true, meme: { authorName: 'Bob', authorUsername: 'bob', submitterName: 'Ann', status: 'submitted' } });
    expect(await store.submit(submission(1, '2025-03-02T10:00:00Z'), GROUP)).toMatchObject({ kind: 'accepted', created: false });
    const again = submission(2, '2025-03-03T10:00:00Z', { media: { kind: 'photo', fileId: 'other-id', fileUniqueId: 'unique-1' } });
    expect(await store.submit(again, GROUP)).toMatchObject({ kind: 'duplicate', meme: { id: first.meme.id } });
  });

  test('of two moderators deciding at once exactly one wins', async () => {
    const { meme } = await store.submit(submission(1, '2025-03-02T10:00:00Z'), GROUP);
    const results = await Promise.all([
      store.decide(meme.id, 'approve', { id: 1, name: 'Admin One' }),
      store.decide(meme.id, 'reject', { id: 2, name: 'Admin Two' }, 'баян'),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const final = (await store.find(meme.id))!;
    expect(results.find(Boolean)).toEqual(final);
    expect(await store.decide(meme.id, 'approve', { id: 3, name: 'Late' })).toBeNull();
  });

  test('monthly statistics count the memes submitted in the month by where they stand', async () => {
    const ids = [];
    for (const [n, iso] of [[1, '2025-03-01T10:00:00Z'], [2, '2025-03-10T10:00:00Z'], [3, '2025-03-20T10:00:00Z'], [4, '2025-04-01T10:00:00Z']] as const) {
      ids.push((await store.submit(submission(n, iso), GROUP)).meme.id);
    }
    await store.decide(ids[0], 'approve', { id: 1, name: 'A' });
    await store.decide(ids[1], 'reject', { id: 1, name: 'A' });
    const stats = await new MonthlyStatsQuery(prisma).compute(GROUP, parseMonth('2025-03'), 'Europe/Moscow');
    expect(stats.memes).toEqual({ submitted: 3, approved: 1, rejected: 1, pending: 1 });
  });

  test('best memes: approved, posted in the month, by total reactions, ties by the earlier post', async () => {
    const post = async (n: number, postedIso: string, approve = true) => {
      const { meme } = await store.submit(submission(n, '2025-02-27T10:00:00Z'), GROUP);
      if (approve) await store.decide(meme.id, 'approve', { id: 1, name: 'A' });
      await store.markPosted(meme.id, CHANNEL, 10 + n, at(postedIso));
      return meme.id;
    };
    const a = await post(1, '2025-03-05T10:00:00Z');
    const b = await post(2, '2025-03-03T10:00:00Z');
    const c = await post(3, '2025-03-04T10:00:00Z');
    await post(4, '2025-03-06T10:00:00Z', false);
    await post(5, '2025-04-01T10:00:00Z');
    const reactions = (messageId: number, counts: number[]) => ({
      kind: 'reactionCount' as const,
      fact: { updateId: messageId, chat: { id: CHANNEL, type: 'channel' as const }, messageId, date: at('2025-03-10T00:00:00Z'), reactions: counts.map((count, i) => ({ key: ['👍', '🔥', '😂'][i], count })) },
    });
    await new FactWriter(prisma, 40).write(toBatch([reactions(11, [2, 3]), reactions(12, [5]), reactions(14, [50])]));
    const best = await bestMemesOfMonth(prisma, GROUP, parseMonth('2025-03'), 'Europe/Moscow', 10);
    expect(best.map((m) => [m.id, m.reactions])).toEqual([[b, 5], [a, 5], [c, 0]]);
    expect(channelPostLink(CHANNEL, 12)).toBe('https://t.me/c/900/12');
    expect(channelPostLink(CHANNEL, 12, 'memes')).toBe('https://t.me/memes/12');
  });
});
