import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnv } from '@kraken/config';
import { redisConnection, redisTarget } from '@kraken/redis';
import { UPDATE_FLOW_PRODUCER, UpdateJobsFlusher } from './update-jobs-flusher.service';

/**
 * The flow producer every job of an update goes through (fail-fast producer connection, so the
 * webhook answers 503 at once while Redis is down) and UpdateJobsFlusher, whose middleware
 * TelegrafModule installs.
 */
@Module({
  imports: [
    BullModule.registerFlowProducerAsync({
      name: UPDATE_FLOW_PRODUCER,
      inject: [ConfigService],
      useFactory: (config: ConfigService<GatewayEnv, true>) => ({
        connection: redisConnection(redisTarget(config), 'producer'),
        prefix: config.get('QUEUE_PREFIX', { infer: true }),
      }),
    }),
  ],
  providers: [UpdateJobsFlusher],
  exports: [UpdateJobsFlusher],
})
export class UpdateJobsModule {}
