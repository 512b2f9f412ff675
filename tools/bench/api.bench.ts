import { Agent, request } from 'node:http';
import { AccessTokens } from '@kraken/auth';
import { FakeLlmServer, freePort, startApp } from '@kraken/testing';
import { Client } from 'pg';
import { BENCH_REDIS_URL, benchDatabase, benchPrefix, percentile } from './bench-env';

/** Latencies of one fixed-rate run. */
export interface RateFigures {
  targetPerSec: number;
  achievedPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/** Results of the API benchmark. */
export interface ApiFigures {
  /** POST /questions one at a time with an LLM that answers at once: what the API adds (auth, limits, budget, storage, usage). */
  askSequential: { p50Ms: number; p99Ms: number; requests: number };
  /** The same at a fixed rate (open loop). */
  ask: RateFigures;
  /** GET /questions of random accounts among `users`, each with 3 questions. */
  history: RateFigures & { users: number };
}

const SECRET = 'bench-jwt-secret-0123456789abcdef0123456789';

function call(agent: Agent, port: number, method: string, path: string, token: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { authorization: `Bearer ${token}` };
    if (body) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    const req = request({ host: '127.0.0.1', port, path, method, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Open-loop run: request `i` starts at t0 + i/rate whatever the answers before it; `ok` is the expected status. */
async function fixedRate(ratePerSec: number, total: number, ok: number, send: (i: number) => Promise<number>): Promise<RateFigures> {
  const latencies: number[] = [];
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = t0 + (i * 1000) / ratePerSec - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    inFlight.push(
      send(i).then(
        (status) => {
          latencies.push(performance.now() - sent);
          if (status !== ok) errors++;
        },
        () => void errors++,
      ),
    );
  }
  await Promise.all(inFlight);
  return { targetPerSec: ratePerSec, achievedPerSec: total / ((performance.now() - t0) / 1000), p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), errors };
}

/**
 * Seeds `users` accounts with 3 questions each in one statement per table (the argon2id hash of one
 * password for all), and opens a session for each of the first `signedIn` accounts.
 * @returns the account ids and session ids of the signed-in ones
 */
async function seed(databaseUrl: string, users: number, signedIn: number): Promise<Array<{ userId: string; sessionId: string }>> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    await pg.query(
      `INSERT INTO "ApiUser" ("id", "email", "name", "passwordHash", "updatedAt")
       SELECT gen_random_uuid(), 'user' || g || '@bench.example', 'User ' || g, '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g', now()
       FROM generate_series(1, $1) g`,
      [users],
    );
    await pg.query(
      `INSERT INTO "ApiQuestion" ("id", "userId", "question", "answer", "model", "provider", "promptTokens", "completionTokens", "costUsd", "cached", "latencyMs", "createdAt")
       SELECT gen_random_uuid(), u.id, 'Question ' || k || ' of ' || u.name, 'An answer of about a hundred characters, as short answers from a fast model tend to be here.',
         'gpt-4o-mini', 'bench', 40, 30, 0.000024, false, 700, now() - k * interval '1 minute'
       FROM "ApiUser" u CROSS JOIN generate_series(1, 3) k`,
    );
    await pg.query('ANALYZE "ApiUser"; ANALYZE "ApiQuestion"');
    const { rows } = await pg.query<{ userId: string; sessionId: string }>(
      `INSERT INTO "ApiSession" ("id", "userId") SELECT gen_random_uuid(), id FROM "ApiUser" ORDER BY random() LIMIT $1 RETURNING "userId", "id" AS "sessionId"`,
      [signedIn],
    );
    return rows;
  } finally {
    await pg.end();
  }
}

/**
 * The HTTP API as its own process (dist/apps/api) against a throw-away database: 100,000 accounts
 * with 3 questions each. POST /questions with an instant fake OpenAI-compatible LLM (every question
 * distinct, so no cache hit; limits and budgets set out of the way but still checked): first one at a
 * time (the overhead itself), then open loop at a fixed rate from this process (Node's http client,
 * keep-alive); then GET /questions of random signed-in accounts at the same fixed rate. Access tokens are signed like login's (AccessTokens)
 * for sessions opened in SQL, so argon2's deliberate slowness does not enter the figures.
 */
export async function benchApi(options = { users: 100_000, signedIn: 2000, ratePerSec: 200, seconds: 10, warmup: 200, sequential: 500 }): Promise<ApiFigures> {
  const db = await benchDatabase();
  const llm = new FakeLlmServer();
  llm.respond = () => ({ text: 'Instant answer.', usage: { prompt_tokens: 12, completion_tokens: 3 } });
  const port = await freePort();
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const sessions = await seed(db.url, options.users, options.signedIn);
  const api = await startApp(
    'api',
    {
      REDIS_URL: BENCH_REDIS_URL, QUEUE_PREFIX: benchPrefix(), DATABASE_URL: db.url, JWT_SECRET: SECRET, API_PORT: String(port), API_HOST: '127.0.0.1',
      LLM_PROVIDERS: 'bench', LLM_BENCH_BASE_URL: await llm.start(), LLM_BENCH_API_KEY: 'sk-bench', LOG_LEVEL: 'info', NODE_ENV: 'production',
      ASK_LIMIT: '1000000', API_DAILY_BUDGET_USD: '1000', API_MONTHLY_BUDGET_USD: '100000', DATABASE_POOL_SIZE: '10',
    },
  );
  try {
    const signer = new AccessTokens(SECRET, 3600);
    const tokens = await Promise.all(sessions.map((s) => signer.sign(s.userId, s.sessionId)));
    const token = (i: number) => tokens[(i * 7919) % tokens.length];
    let asked = 0;
    const ask = (i: number) => call(agent, port, 'POST', '/questions', token(i), JSON.stringify({ text: `Bench question number ${asked++} (${i})?` }));
    for (let i = 0; i < options.warmup; i++) await ask(i);
    const sequential: number[] = [];
    for (let i = 0; i < options.sequential; i++) {
      const sent = performance.now();
      await ask(i);
      sequential.push(performance.now() - sent);
    }
    const total = options.ratePerSec * options.seconds;
    const askFigures = await fixedRate(options.ratePerSec, total, 201, ask);
    const history = (i: number) => call(agent, port, 'GET', '/questions', token(i * 31 + 17));
    for (let i = 0; i < options.warmup; i++) await history(i);
    const historyFigures = await fixedRate(options.ratePerSec, total, 200, history);
    return {
      askSequential: { p50Ms: percentile(sequential, 50), p99Ms: percentile(sequential, 99), requests: options.sequential },
      ask: askFigures,
      history: { ...historyFigures, users: options.users },
    };
  } finally {
    agent.destroy();
    await api.stop();
    await llm.stop();
    await db.drop();
  }
}
