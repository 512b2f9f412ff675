import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findUpdateProblem } from '@kraken/telegram';
import fc from 'fast-check';
import { Client } from 'pg';
import { ROOT } from '../support/processes';
import { PipelineHarness, SECRET } from './pipeline-harness';
import { badUpdateId, garbage, malformedUpdate, notAnObject, truncatedJson, unknownKind, validUpdate } from './support/update-arbitraries';

/** Issue "The pipeline" and issue 8: the webhook refuses forged and malformed input without crashing or storing rows. */
const samples: Array<Record<string, any>> = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'teloxide-samples.json'), 'utf8'));

async function post(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  await response.arrayBuffer();
  return response.status;
}

async function rowCounts(databaseUrl: string): Promise<Record<string, number>> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const tables = ['Chat', 'Sender', 'Message', 'MessageEdit', 'MemberEvent', 'ReactionCount', 'UserReaction'];
    const counts: Record<string, number> = {};
    for (const t of tables) counts[t] = Number((await pg.query(`SELECT count(*) AS n FROM "${t}"`)).rows[0].n);
    return counts;
  } finally {
    await pg.end();
  }
}

/** Seed of the generated bodies: a failure names the body's category and index, reproducible with it. */
const SEED = 20_261_127;
const sample = <T>(arbitrary: fc.Arbitrary<T>, numRuns: number, offset: number): T[] => fc.sample(arbitrary, { seed: SEED + offset, numRuns });

/** A body to post, what it is, and the status the webhook must answer. */
interface BadBody {
  category: string;
  body: Buffer;
  expected: number;
}

/**
 * 1,000 bad bodies, generated with fast-check (update-arbitraries.ts) from many shapes: updates of
 * every subscribed kind with one checked field of the wrong type or missing (ignored: 200), bad
 * update ids, JSON that is not an object, truncated JSON, random bytes (400), kinds Kraken does not
 * use (ignored: 200), and bodies over WEBHOOK_MAX_BODY_BYTES (413).
 */
function badBodies(): BadBody[] {
  const json = (category: string, expected: number) => (value: unknown) => ({ category, body: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), expected });
  const huge = (update: Record<string, any>) => {
    const payload = update.message ?? update.edited_message ?? update.channel_post;
    return payload ? { ...update, [Object.keys(update).find((k) => k !== 'update_id')!]: { ...payload, text: 'x'.repeat(1_100_000) } } : { ...update, padding: 'x'.repeat(1_100_000) };
  };
  return [
    ...sample(malformedUpdate, 560, 1).map(json('malformed update', 200)),
    ...sample(badUpdateId, 100, 2).map(json('bad update_id', 400)),
    ...sample(notAnObject, 60, 3).map(json('not an object', 400)),
    ...sample(truncatedJson, 110, 4).map(json('truncated JSON', 400)),
    ...sample(garbage, 60, 5).map((body) => ({ category: 'random bytes', body, expected: 400 })),
    ...sample(unknownKind, 90, 6).map(json('unknown kind', 200)),
    ...sample(validUpdate, 20, 7).map(huge).map(json('over 1 MB', 413)),
  ];
}

describe('webhook input', () => {
  let harness: PipelineHarness;
  beforeAll(async () => {
    harness = await new PipelineHarness().start();
  });
  afterAll(() => harness.stop());

  test('without or with a wrong secret: 401 and nothing enqueued', async () => {
    const body = JSON.stringify(samples[0]);
    expect(await post(harness.webhook, body)).toBe(401);
    expect(await post(harness.webhook, body, { 'x-telegram-bot-api-secret-token': 'wrong' })).toBe(401);
    await harness.idle();
    expect((await rowCounts(harness.env.DATABASE_URL)).Message).toBe(0);
  });

  test('a wrong secret is refused before the body is read: 401 even for invalid JSON or a body over the limit', async () => {
    const huge = JSON.stringify({ ...samples[0], update_id: 1, padding: 'x'.repeat(1_100_000) });
    expect(await post(harness.webhook, huge, { 'x-telegram-bot-api-secret-token': 'wrong' })).toBe(401);
    expect(await post(harness.webhook, '{"update_id": 1, "message": ', { 'x-telegram-bot-api-secret-token': 'wrong' })).toBe(401);
    expect(await post(harness.webhook, huge)).toBe(401);
    expect(await post(harness.webhook, huge, { 'x-telegram-bot-api-secret-token': SECRET })).toBe(413);
  });

  test("malformed fields a handler reads (reply_to_message, entities, a button's message): ignored 200, nothing stored", async () => {
    const chat = { id: -1009990031, type: 'supergroup', title: 'Malformed' };
    const from = { id: 4545, is_bot: false, first_name: 'Hostile' };
    const message = (i: number, extra: Record<string, unknown>) => ({ update_id: 700_000 + i, message: { message_id: i + 1, date: 1_790_000_000, chat, from, text: 'Кракен, ответь', ...extra } });
    const bodies = [
      message(1, { reply_to_message: {} }),
      message(2, { reply_to_message: 'x' }),
      message(3, { reply_to_message: { message_id: 5, date: 1_790_000_000 } }),
      message(4, { reply_to_message: { message_id: 5, date: 1_790_000_000, chat, from: 'bot' } }),
      message(5, { entities: [null] }),
      message(6, { chat: { id: 4545, type: 'private' }, reply_to_message: { message_id: 'x' } }),
      { update_id: 700_010, callback_query: { id: 'q1', from, chat_instance: '1', data: 'meme:approve:1', message: {} } },
    ];
    const statuses = [];
    for (const body of bodies) statuses.push(await post(harness.webhook, JSON.stringify(body), { 'x-telegram-bot-api-secret-token': SECRET }));
    expect(statuses).toEqual(bodies.map(() => 200));
    await harness.idle();
    expect((await rowCounts(harness.env.DATABASE_URL)).Message).toBe(0);
  });

  test(`1,000 generated bad bodies (fast-check, seed ${SEED}): 400/413 or ignored 200 as their kind says, no crash, no rows`, async () => {
    const bodies = badBodies();
    expect(bodies).toHaveLength(1000);
    for (const { category, body } of bodies.filter((b) => b.category === 'malformed update')) {
      expect({ category, problem: findUpdateProblem(JSON.parse(body.toString())) !== null }).toEqual({ category, problem: true });
    }
    const wrong: string[] = [];
    const statuses = new Map<number, number>();
    for (const [i, { category, body, expected }] of bodies.entries()) {
      const status = await post(harness.webhook, body, { 'x-telegram-bot-api-secret-token': SECRET });
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status !== expected && wrong.length < 10) wrong.push(`#${i} ${category}: ${status}, expected ${expected}: ${body.toString('utf8', 0, 300)}`);
    }
    expect(wrong).toEqual([]);
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
    await harness.idle(60_000);
    expect(await rowCounts(harness.env.DATABASE_URL)).toEqual({ Chat: 0, Sender: 0, Message: 0, MessageEdit: 0, MemberEvent: 0, ReactionCount: 0, UserReaction: 0 });
    expect(harness.gateway.child.exitCode).toBeNull();
    expect(await post(harness.webhook, JSON.stringify(samples[0]), { 'x-telegram-bot-api-secret-token': SECRET })).toBe(200);
  });

  test('the recorded teloxide updates all pass; unknown kinds are acknowledged and ignored', async () => {
    for (const [i, sample] of samples.entries()) {
      const update = { update_id: 500_000 + i, ...sample, ...(sample.update_id !== undefined ? { update_id: 500_000 + i } : {}) };
      expect(await post(harness.webhook, JSON.stringify(update), { 'x-telegram-bot-api-secret-token': SECRET })).toBe(200);
    }
    await harness.idle();
    const counts = await rowCounts(harness.env.DATABASE_URL);
    expect(counts.Message).toBeGreaterThanOrEqual(5);
    expect(counts.UserReaction).toBe(2);
    expect(counts.ReactionCount).toBe(1);
  });
  test(`300 generated well-formed updates of every kind (seed ${SEED}): 200, and they are stored`, async () => {
    const before = await rowCounts(harness.env.DATABASE_URL);
    const updates: Array<Record<string, any>> = sample(validUpdate, 300, 8).map((u, i) => ({ ...u, update_id: 800_000 + i }));
    expect(updates.filter((u) => findUpdateProblem(u) !== null)).toEqual([]);
    const statuses = [];
    for (const update of updates) statuses.push(await post(harness.webhook, JSON.stringify(update), { 'x-telegram-bot-api-secret-token': SECRET }));
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    await harness.idle(60_000);
    expect(harness.workers[0].logs.filter((line) => line.includes('stats job failed'))).toEqual([]);
    const counts = await rowCounts(harness.env.DATABASE_URL);
    // Every non-service message is stored (an edit of a message never seen counts as the message).
    const messages = new Set(
      updates
        .map((u) => (u.message ?? u.channel_post ?? u.edited_message) as Record<string, any> | undefined)
        .filter((m) => m && !m.new_chat_members)
        .map((m) => `${m!.chat.id}:${m!.message_id}`),
    );
    expect(counts.Message - before.Message).toBe(messages.size);
    expect(counts.UserReaction + counts.ReactionCount - before.UserReaction - before.ReactionCount).toBeGreaterThan(10);
  });
});
