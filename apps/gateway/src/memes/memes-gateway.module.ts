import { Module } from '@nestjs/common';
import { RedisClientsModule } from '@kraken/queue';
import { gatewayRedisProvider } from '../gateway-redis.provider';
import { MemesUpdate } from './memes.update';

/**
 * The gateway's part of the meme flow: reads submissions, moderation presses and `/reject` replies and
 * enqueues them on the `memes` queue (with the update's other jobs, UpdateJobsFlusher) for the
 * digest-worker, which does every check and all database work.
 */
@Module({
  imports: [RedisClientsModule],
  // Its own fail-fast Redis client (hint markers): a module providing the chat's would reorder handlers.
  providers: [gatewayRedisProvider, MemesUpdate],
})
export class MemesGatewayModule {}
