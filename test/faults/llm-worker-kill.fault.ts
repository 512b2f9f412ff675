import { QueueName } from '@kraken/contracts';
import { FakeLlmServer } from '@kraken/testing';
import { Deployment } from '../ops/support/deployment';
import { passed, printResult, replayWithFault, settle, sleep } from './support/fault-case';
import { fakeLlmEnv, postTriggers, triggerReplies, type Trigger } from './support/triggers';

const TRIGGERS = 8;

/**
 * While the real export is replayed, eight members address Kraken by name; the fake LLM takes 1.5 s
 * per answer. The llm-worker is killed with SIGKILL while those LLM calls are running and a new one
 * starts a second later: each answer job is taken over once its lock expires (LLM_WORKER_LOCK_MS 3 s)
 * and every member gets exactly one reply; the statistics stay exact.
 */
test('an llm worker SIGKILLed mid-job: one reply per trigger, exact statistics', async () => {
  const startedAt = Date.now();
  const llm = new FakeLlmServer();
  llm.respond = (request) => ({ text: `Ответ №${request.seq}`, delayMs: 1500 });
  const deployment = await Deployment.start({ env: { ...fakeLlmEnv(await llm.start(), 10_000), STATS_BATCH_MS: '20' } });
  try {
    await deployment.startLlmWorker();
    let triggers: Trigger[] = [];
    let inFlight = 0;
    const replay = await replayWithFault(deployment, {
      rate: 150,
      at: 0.35,
      fault: async () => {
        triggers = await postTriggers(deployment, TRIGGERS);
        await llm.waitForRequests(1, 20_000);
        await sleep(300);
        inFlight = llm.requests.length;
        await deployment.llmWorkers[0].stop('SIGKILL');
        await sleep(1000);
        await deployment.startLlmWorker();
      },
    });
    const outcome = await settle(deployment, replay, { texts: [] }, [QueueName.ChatAnswers, QueueName.ChatContext]);
    const replies = triggerReplies(deployment.emulator, triggers);
    const result = { ...outcome, replies: { delivered: replies.answered, lost: replies.lost, doubled: replies.doubled }, replyCount: TRIGGERS };
    printResult('llm-worker-sigkill', `llm-worker SIGKILLed with ${inFlight} LLM calls running (1.5 s each); new worker 1 s later`, result, startedAt);
    expect(inFlight).toBeGreaterThan(0);
    expect(result.mismatches).toEqual([]);
    expect(replies).toEqual({ answered: TRIGGERS, lost: [], doubled: [] });
    expect(passed(result)).toBe(true);
  } finally {
    await deployment.stop();
    await llm.stop();
  }
});
