import { Deployment } from '../ops/support/deployment';
import { enqueueReplies, type Replies } from '../ops/support/expectations';
import { metricValue } from '../ops/support/prometheus';
import { passed, printResult, replayWithFault, settle, sleep } from './support/fault-case';

const WINDOW_MS = 60_000;
const REPLIES_PER_SECOND = 2;
const CHATS = 10;

/**
 * For one minute the Bot API emulator answers 429 (retry_after 2 s) to half of all sendMessage calls,
 * while replies are enqueued at 2/s over ten chats and the real export is replayed. The outbox waits
 * retry_after each time (pausing that chat) without spending attempts; after the minute every reply
 * has been accepted exactly once and the statistics are exact.
 */
test('Telegram answering 429 to 50% of sends for a minute: every reply once, exact statistics', async () => {
  const startedAt = Date.now();
  const deployment = await Deployment.start();
  try {
    deployment.emulator.failRatio({ method: 'sendMessage', ratio: 0.5, errorCode: 429, retryAfter: 2, durationMs: WINDOW_MS });
    const replies: Replies = { texts: [] };
    const sending = (async () => {
      for (let second = 0; second < WINDOW_MS / 1000; second++) {
        const batch = await enqueueReplies(deployment, `flood-${second}`, REPLIES_PER_SECOND, CHATS, second * REPLIES_PER_SECOND);
        replies.texts.push(...batch.texts);
        await sleep(1000);
      }
    })();
    const replay = await replayWithFault(deployment, { rate: 40 });
    await sending;
    const outcome = await settle(deployment, replay, replies);
    const floods = deployment.emulator.calls('sendMessage').filter((c) => c.injected && c.response.status === 429).length;
    const metrics = await deployment.get(`${deployment.gatewayUrl}/metrics`);
    const counted = metricValue(metrics.body, 'kraken_outbox_sends_total', { method: 'sendMessage', outcome: '429' });
    printResult('telegram-429', `emulator answered 429 (retry_after 2 s) to 50% of sendMessage for 60 s: ${floods} answers 429`, outcome, startedAt);
    expect(floods).toBeGreaterThan(20);
    expect(counted).toBe(floods);
    expect(outcome.replies).toMatchObject({ delivered: replies.texts.length, lost: [], doubled: [] });
    expect(passed(outcome)).toBe(true);
  } finally {
    await deployment.stop();
  }
});
