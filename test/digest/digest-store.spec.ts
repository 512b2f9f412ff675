import { PrismaService } from '@kraken/db';
import { ClaimLostError, DigestStore, RevisionRaceError, type DigestContent } from '@kraken/digest';
import { createTestPrisma, type TestPrisma } from '@kraken/testing';

describe('DigestStore claims on PostgreSQL', () => {
  let fixture: TestPrisma;
  let prisma: PrismaService;
  let store: DigestStore;

  beforeAll(async () => {
    fixture = await createTestPrisma({ poolSize: 6 });
    prisma = fixture.prisma;
    store = new DigestStore(prisma);
  });
  afterAll(async () => {
    await fixture.close();
  });

  test('of concurrent runs exactly one claims; the same run claims again; a published digest is never claimed', async () => {
    await Promise.all([store.ensure(-1, '2025-03', '-5'), store.ensure(-1, '2025-03', '-6')]);
    const claims = await Promise.all(['job-a', 'job-b', 'job-c', 'job-d'].map((run) => store.claim(-1, '2025-03', run, 600)));
    const winners = claims.filter(Boolean);
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    expect(winner).toMatchObject({ status: 'running', attempts: 1, content: null, mediaMessageIds: [], mediaSentAt: null });
    expect(['-5', '-6']).toContain(winner.targetChatId);
    const again = await store.claim(-1, '2025-03', winner.claimedBy!, 600);
    expect(again).toMatchObject({ id: winner.id, attempts: 2 });
    const loser = ['job-a', 'job-b', 'job-c', 'job-d'].find((run) => run !== winner.claimedBy)!;
    await expect(store.renew(winner.id, loser, 600)).rejects.toBeInstanceOf(ClaimLostError);

    await store.saveContent(winner.id, winner.claimedBy!, { headlinesSource: 'fallback', parts: ['x'] } as DigestContent);
    await store.markMedia(winner.id, winner.claimedBy!, [3, 4]);
    await store.markPublished(winner.id, winner.claimedBy!, [5]);
    expect(await store.find(-1, '2025-03')).toMatchObject({ status: 'published', mediaMessageIds: [3, 4], textMessageIds: [5], content: { parts: ['x'] } });
    expect(await store.claim(-1, '2025-03', winner.claimedBy!, 600)).toBeNull();
  });

  test('a claim whose lease ran out can be taken over; the old run then finds its claim lost', async () => {
    await store.ensure(-2, '2025-03', '-2');
    const first = (await store.claim(-2, '2025-03', 'old', 600))!;
    await prisma.$executeRaw`UPDATE "Digest" SET "leaseUntil" = now() - interval '1 second' WHERE "id" = ${BigInt(first.id)}`;
    expect(await store.claim(-2, '2025-03', 'new', 600)).toMatchObject({ id: first.id, claimedBy: 'new' });
    await expect(store.markMedia(first.id, 'old', [1])).rejects.toBeInstanceOf(ClaimLostError);
  });

  test('a failed digest can be claimed again', async () => {
    await store.ensure(-3, '2025-03', '-3');
    const row = (await store.claim(-3, '2025-03', 'one', 600))!;
    await store.markFailed(row.id, 'one', 'boom');
    expect(await store.find(-3, '2025-03')).toMatchObject({ status: 'failed' });
    expect(await store.claim(-3, '2025-03', 'two', 600)).toMatchObject({ claimedBy: 'two', status: 'running' });
  });

  test('a forced re-post is the next revision, recorded with its admin and command job, created once per job', async () => {
    await store.ensure(-4, '2025-03', '-4');
    const month = (await store.claim(-4, '2025-03', 'sched', 600))!;
    await store.markSkipped(month.id, 'sched');
    expect(await store.claim(-4, '2025-03', 'sched', 600)).toBeNull();
    const forced = await store.createForced(-4, '2025-03', '-4', 601, 'tg-1');
    expect(forced).toMatchObject({ revision: 1, forcedById: 601, status: 'pending' });
    expect(await store.createForced(-4, '2025-03', '-4', 601, 'tg-1')).toMatchObject({ id: forced.id, revision: 1 });
    const [a, b] = await Promise.allSettled([store.createForced(-4, '2025-03', '-4', 602, 'tg-2'), store.createForced(-4, '2025-03', '-4', 602, 'tg-3')]);
    const created = [a, b].filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ revision: number }>).value.revision);
    for (const r of [a, b]) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(RevisionRaceError);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created).size).toBe(created.length);
    expect(await store.claim(-4, '2025-03', 'tg-1', 600, 1)).toMatchObject({ id: forced.id, status: 'running' });
    expect(await store.find(-4, '2025-03')).toMatchObject({ revision: 0, status: 'skipped' });
  });
});
