import { BullModule } from '@nestjs/bullmq';
import { redisConnection, redisTarget } from '@kraken/redis';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnv } from '@kraken/config';
import { DigestQueueName } from '@kraken/contracts';
import { DigestUpdate } from './digest.update';

/** The gateway's part of the digest: `/digest` commands onto the `digest` queue (fail-fast producer). */
@Module({
  imports: [
    BullModule.registerQueueAsync({
      name: DigestQueueName.Digest,
      inject: [ConfigService],
      useFactory: (config: ConfigService<GatewayEnv, true>) => ({
        connection: redisConnection(redisTarget(config), 'producer'),
        prefix: config.get('QUEUE_PREFIX', { infer: true }),
      }),
    }),
  ],
  providers: [DigestUpdate],
})
export class DigestGatewayModule {}
