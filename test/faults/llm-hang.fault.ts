import { QueueName } from '@kraken/contracts';
import { FakeLlmServer } from '@kraken/testing';
import { Deployment } from '../ops/support/deployment';
import { passed, printResult, replayWithFault, settle } from './support/fault-case';
import { fakeLlmEnv, postTriggers, triggerReplies, type Trigger } from './support/triggers';

const TRIGGERS = 8;
const TIMEOUT_MS = 2000;

/**
 * While the real export is replayed, eight members address Kraken by name and the fake LLM never
 * answers their first requests (it hangs). The llm-worker gives up on each after LLM_TIMEOUT_MS
 * (2 s) and retries; the retries are answered. Every member gets exactly one reply (no apology, no
 * duplicate); the statistics stay exact.
 */
test('the LLM hanging past the timeout: one reply per trigger, exact statistics', async () => {
  const startedAt = Date.now();
  const llm = new FakeLlmServer();
  llm.script(...Array.from({ length: TRIGGERS }, () => ({ hang: true as const })));
  const deployment = await Deployment.start({ env: { ...fakeLlmEnv(await llm.start(), TIMEOUT_MS), STATS_BATCH_MS: '20' } });
  try {
    await deployment.startLlmWorker();
    let triggers: Trigger[] = [];
    const replay = await replayWithFault(deployment, {
      rate: 150,
      at: 0.35,
      fault: async () => {
        triggers = await postTriggers(deployment, TRIGGERS);
      },
    });
    await llm.waitForRequests(2 * TRIGGERS, 60_000);
    const outcome = await settle(deployment, replay, { texts: [] }, [QueueName.ChatAnswers, QueueName.ChatContext]);
    const replies = triggerReplies(deployment.emulator, triggers);
    const result = { ...outcome, replies: { delivered: replies.answered, lost: replies.lost, doubled: replies.doubled }, replyCount: TRIGGERS };
    printResult('llm-hang', `fake LLM hung on the first ${TRIGGERS} requests (timeout ${TIMEOUT_MS / 1000} s); ${llm.requests.length} LLM requests in all`, result, startedAt);
    expect(result.mismatches).toEqual([]);
    expect(replies).toEqual({ answered: TRIGGERS, lost: [], doubled: [] });
    expect(passed(result)).toBe(true);
  } finally {
    await deployment.stop();
    await llm.stop();
  }
});
