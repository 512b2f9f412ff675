import { OutboxJob, QueueName } from '@kraken/contracts';
import { redisConnection } from '@kraken/redis';
import { chatKeys } from '@kraken/chat';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { Deployment, SECRET } from './support/deployment';
import { FakeSentry } from './support/fake-sentry';

const GROUP = -1009990021;
/** The secret half of the deployment's BOT_TOKEN (`123456:OPS-token`). */
const TOKEN_SECRET = 'OPS-token';
const QUESTION = 'sentry-secret-text: who knows where the sea is?';
const REPLY = 'sentry-secret-reply: the sea is over there';
const AUTHORIZATION = 'Bearer sentry-secret-authorization';
const COOKIE = 'session=sentry-secret-cookie';

/**
 * Issue 8, item 3: with SENTRY_DSN set, error events must carry no webhook secret, no bot token and no
 * message text. Real errors are driven through a running gateway: a webhook request that fails inside
 * a handler (the chat's question-policy key in Redis has the wrong type, so the handler's Redis read
 * fails: HTTP 500) and outgoing Bot API calls that fail for good (a permanent 400 and a dropped
 * connection, whose error message names the request URL `/bot<token>/sendMessage`).
 */
describe('Sentry events carry no secrets or message texts', () => {
  const sentry = new FakeSentry();
  let deployment: Deployment;

  beforeAll(async () => {
    const dsn = await sentry.start();
    deployment = await Deployment.start({ workers: 0, env: { SENTRY_DSN: dsn } });
  });

  afterAll(async () => {
    await deployment?.stop();
    await sentry.stop();
  });

  test('a webhook request failing in a handler and failed Bot API calls reach Sentry scrubbed', async () => {
    const redis = new IORedis(deployment.env.REDIS_URL);
    await redis.set(chatKeys.policy(deployment.env.QUEUE_PREFIX), 'not a hash');
    redis.disconnect();
    const update = {
      update_id: 9001,
      message: {
        message_id: 77,
        date: Math.floor(Date.now() / 1000),
        chat: { id: GROUP, type: 'supergroup', title: 'Sentry test' },
        from: { id: 4343, is_bot: false, first_name: 'Asker' },
        text: QUESTION,
      },
    };
    const response = await fetch(`${deployment.webhook}?token=${TOKEN_SECRET}`, {
      method: 'POST',
      body: JSON.stringify(update),
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET, authorization: AUTHORIZATION, cookie: COOKIE },
    });
    expect(response.status).toBe(500);
    await sentry.waitFor('WRONGTYPE');

    const outbox = new Queue(QueueName.Outbox, { connection: redisConnection(deployment.env.REDIS_URL, 'worker'), prefix: deployment.env.QUEUE_PREFIX });
    const call = (n: number) => ({ method: 'sendMessage', params: { chat_id: GROUP, text: `${REPLY} ${n}` }, chatId: GROUP, isMessage: true });
    deployment.emulator.injectFailure({ method: 'sendMessage', errorCode: 400, description: 'Bad Request: chat not found' });
    await outbox.add(OutboxJob.Call, call(1), { jobId: 'sentry-permanent', attempts: 1 });
    await sentry.waitFor('chat not found');
    deployment.emulator.dropConnection({ method: 'sendMessage' });
    await outbox.add(OutboxJob.Call, call(2), { jobId: 'sentry-network', attempts: 1 });
    await outbox.close();
    await sentry.waitFor('socket hang up');

    const all = sentry.envelopes.join('\n');
    const secrets = [SECRET, TOKEN_SECRET, 'sentry-secret-text', 'sentry-secret-reply', 'sentry-secret-authorization', 'sentry-secret-cookie'];
    expect(secrets.filter((secret) => all.includes(secret))).toEqual([]);
    // the events stay useful: the error, where it happened, and the method that failed
    expect(all).toContain('WRONGTYPE');
    expect(all).toContain('/telegram/webhook');
    expect(all).toContain('sendMessage');
    expect(all).toContain('/bot[redacted]/sendMessage');
  });
});
