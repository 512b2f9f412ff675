import { Module } from '@nestjs/common';
import { ChatRedisCloser, chatRedisProvider } from '../chat/chat-redis.provider';
import { MemesUpdate } from './memes.update';

/**
 * The gateway's part of the meme flow: reads submissions, moderation presses and `/reject` replies and
 * enqueues them on the `memes` queue (with the update's other jobs, UpdateJobsFlusher) for the
 * digest-worker, which does every check and all database work.
 */
@Module({
  // Its own fail-fast Redis client (hint markers): a module providing the chat's would reorder handlers.
  providers: [chatRedisProvider, ChatRedisCloser, MemesUpdate],
})
export class MemesGatewayModule {}
