import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { ROOT } from '../support/processes';
import { PipelineHarness, SECRET } from './pipeline-harness';

/** Issue "The pipeline": the webhook refuses forged and malformed input without crashing or storing rows. */
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

/** 1,000 bad bodies: garbage, truncated JSON, unknown kinds, forged shapes and a few > 1 MB. */
function badBodies(): Buffer[] {
  const valid = JSON.stringify(samples[0]);
  const bodies: string[] = [];
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; bodies.length < 980; i++) {
    switch (i % 7) {
      case 0: bodies.push(valid.slice(0, Math.floor(random() * (valid.length - 1)))); break;
      case 1: bodies.push(Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256))).toString('latin1')); break;
      case 2: bodies.push(JSON.stringify({ update_id: 10_000 + i, [`kind_${i}`]: { x: i } })); break;
      case 3: bodies.push(JSON.stringify({ update_id: 10_000 + i, message: { message_id: 'x', chat: null } })); break;
      case 4: bodies.push(JSON.stringify({ update_id: -i, message: samples[0].message })); break;
      case 5: bodies.push(JSON.stringify([samples[0]])); break;
      default: bodies.push(JSON.stringify({ update_id: 10_000 + i, chat_member: { chat: { id: 1 } } }));
    }
  }
  const huge = JSON.stringify({ update_id: 1, message: { ...samples[0].message, text: 'x'.repeat(1_100_000) } });
  return [...bodies.map((b) => Buffer.from(b)), ...Array.from({ length: 20 }, () => Buffer.from(huge))];
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

  test('1,000 malformed, truncated, oversized or unknown bodies: 4xx or ignored 200, no crash, no rows', async () => {
    const statuses = new Map<number, number>();
    for (const body of badBodies()) {
      const status = await post(harness.webhook, body, { 'x-telegram-bot-api-secret-token': SECRET });
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    expect([...statuses.keys()].every((s) => s === 200 || (s >= 400 && s < 500))).toBe(true);
    expect(statuses.get(413)).toBe(20);
    await harness.idle();
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
});
