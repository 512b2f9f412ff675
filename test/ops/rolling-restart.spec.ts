import { replayUpdates } from '@kraken/export';
import type { AppProcess } from '@kraken/testing';
import { Deployment, SECRET } from './support/deployment';
import { enqueueReplies, replyDeliveries, statsMismatches, UPDATES } from './support/expectations';

/** Sends SIGTERM to `process` and waits for it to exit; returns its exit code and its whole log. */
async function terminate(process: AppProcess): Promise<{ code: number | null; logs: string }> {
  const code = await process.stop('SIGTERM');
  return { code, logs: process.logs.join('\n') };
}

/**
 * Issue 5, "SIGTERM to each app during load loses nothing": while the real export is replayed through
 * the webhook and replies go out through the outbox, the stats worker and then the gateway are each
 * restarted the way an orchestrator rolls them (SIGTERM, new process). Every app drains and exits 0;
 * every month equals the independent reference; every reply is sent exactly once.
 */
describe('rolling restart under load', () => {
  test('SIGTERM to the stats worker and to the gateway during a replay loses nothing and doubles nothing', async () => {
    const deployment = await Deployment.start({ env: { STATS_BATCH_MS: '20' } });
    try {
      const replies = await enqueueReplies(deployment, 'rolling', 48);
      let rollWorker: Promise<{ code: number | null; logs: string }> | undefined;
      let rollGateway: Promise<{ code: number | null; logs: string }> | undefined;
      const summary = await replayUpdates(UPDATES, {
        webhook: deployment.webhook,
        secret: SECRET,
        rate: 300,
        concurrency: 8,
        onProgress: (sent, total) => {
          if (sent === Math.floor(total * 0.25)) {
            const old = deployment.workers[0];
            rollWorker = deployment.startWorker().then(() => terminate(old));
          }
          if (sent === Math.floor(total * 0.5)) {
            const old = deployment.gateway!;
            rollGateway = terminate(old).then(async (result) => (await deployment.startGateway(), result));
          }
        },
      });
      const worker = await rollWorker!;
      const gateway = await rollGateway!;
      expect(summary.rejected).toEqual([]);
      expect(worker.code).toBe(0);
      expect(worker.logs).toContain('worker of queue stats drained');
      expect(gateway.code).toBe(0);
      expect(gateway.logs).toContain('worker of queue outbox drained');
      expect(gateway.logs).toContain('shutdown complete');
      await deployment.idle('stats');
      await deployment.idle('outbox');
      expect(await statsMismatches(deployment)).toEqual([]);
      expect(replyDeliveries(deployment.emulator, replies)).toEqual({ delivered: 48, lost: [], doubled: [] });
    } finally {
      await deployment.stop();
    }
  });

  test('SIGTERM during a slow sendMessage: the call in flight is not handed back, the other gateway does not send it again', async () => {
    // Issue 8, item 6. Two gateways run the outbox; Telegram executes sendMessage at once but answers
    // 3 s later. The gateway making the call gets SIGTERM while it waits; its grace period (1 s) ends
    // mid-call while the other gateway is ready to take over handed-back jobs.
    const deployment = await Deployment.start({ workers: 0, env: { SHUTDOWN_GRACE_MS: '1000' } });
    try {
      const other = await deployment.startExtraGateway({ TELEGRAM_API_ROOT: `${deployment.emulator.apiRoot}/client/second/` });
      deployment.emulator.addLatency({ method: 'sendMessage', ms: 3000, times: 1 });
      const replies = await enqueueReplies(deployment, 'slow-send', 1);
      const [call] = await deployment.emulator.waitFor('sendMessage', { timeoutMs: 15_000 }); // executed; the answer is pending
      const [calling, survivor] = call.client === 'second' ? [other, deployment.gateway!] : [deployment.gateway!, other];
      const { code, logs } = await terminate(calling);
      await deployment.idle('outbox');
      await new Promise((r) => setTimeout(r, 1000)); // a re-run elsewhere would have sent by now
      expect(replyDeliveries(deployment.emulator, replies)).toEqual({ delivered: 1, lost: [], doubled: [] });
      expect(code).toBe(0);
      expect(logs).toContain('shutdown complete');
      expect(survivor.child.exitCode).toBeNull();
    } finally {
      await deployment.stop();
    }
  });

  test('a gateway in long-polling mode stops polling and exits 0 on SIGTERM', async () => {
    const deployment = await Deployment.start({ workers: 0 });
    try {
      await deployment.gateway!.stop('SIGTERM');
      const polling = await deployment.startGateway({ TELEGRAM_MODE: 'polling' });
      await new Promise((r) => setTimeout(r, 1000)); // a long poll (getUpdates) is now open
      const stoppedAt = Date.now();
      const { code, logs } = await terminate(polling);
      expect(code).toBe(0);
      expect(Date.now() - stoppedAt).toBeLessThan(5000);
      expect(logs).toContain('shutdown complete');
      expect(logs).not.toContain('Bot is not running');
    } finally {
      await deployment.stop();
    }
  });
});
