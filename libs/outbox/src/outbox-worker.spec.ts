import { baseEnv, gatewayEnv, KrakenConfigModule, outboxEnv, parseConfig, statsWorkerEnv, telegramEnv } from '@kraken/config';
import { QueueName } from '@kraken/contracts';
import { HealthModule } from '@kraken/health';
import { ConfigService } from '@nestjs/config';
import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../../../test/support/redis';
import { bullRootModule } from './bull-root.module';
import { outboxWorkerEnabled } from './outbox-settings';
import { OutboxModule } from './outbox.module';
import { OutboxService } from './outbox.service';

const configOf = (values: Record<string, unknown>) => ({ get: (key: string) => values[key] }) as unknown as ConfigService;

describe('OUTBOX_WORKER: which process runs the outbox worker', () => {
  const prefix = uniquePrefix('kt-outbox-flag');
  const savedEnv = { ...process.env };

  afterAll(async () => {
    await dropPrefix(prefix);
    process.env = savedEnv;
  });

  test('the gateway runs it unless told otherwise; other apps only when told to', () => {
    const BASE = { BOT_TOKEN: '1:x', WEBHOOK_SECRET: 'a-secret_of-16-chars', DATABASE_URL: 'postgresql://x@127.0.0.1/x' };
    expect(parseConfig(gatewayEnv, BASE).OUTBOX_WORKER).toBe(true);
    expect(parseConfig(gatewayEnv, { ...BASE, OUTBOX_WORKER: 'false' }).OUTBOX_WORKER).toBe(false);
    expect(outboxWorkerEnabled(configOf(parseConfig(statsWorkerEnv, BASE)))).toBe(false);
    expect(outboxWorkerEnabled(configOf({ OUTBOX_WORKER: 'true' }))).toBe(true);
    expect(outboxWorkerEnabled(configOf({ OUTBOX_WORKER: true }))).toBe(true);
    expect(() => outboxWorkerEnabled(configOf({ OUTBOX_WORKER: 'yes please' }))).toThrow(/OUTBOX_WORKER: expected true or false/);
  });

  test('with OUTBOX_WORKER=false an app enqueues Bot API calls but runs none', async () => {
    Object.assign(process.env, { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, BOT_TOKEN: '1:x', TELEGRAM_API_ROOT: 'http://127.0.0.1:9', OUTBOX_WORKER: 'false' });
    const app = await Test.createTestingModule({
      imports: [
        KrakenConfigModule.forRoot(baseEnv.extend(telegramEnv.shape).extend(outboxEnv.shape)),
        bullRootModule(),
        HealthModule.forRoot({ database: false }),
        OutboxModule.forRoot(),
      ],
    }).compile();
    await app.init();
    try {
      const job = await app.get(OutboxService).send({ method: 'getMe', params: {} }, 'outbox-worker-off-getme');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await job.getState()).toBe('waiting');
      const queue = app.get<Queue>(getQueueToken(QueueName.Outbox));
      expect(await queue.getWorkersCount()).toBe(0);
    } finally {
      await app.close();
    }
  });
});
