import { QueueName } from '@kraken/contracts';

/**
 * Redis key holding Telegram's result of an outbox job that Telegram accepted:
 * `<prefix>:outbox:sent:<jobId>` (JSON, TTL 24 h, see SentMarkers).
 */
export function sentMarkerKey(prefix: string, jobId: string): string {
  return `${prefix}:${QueueName.Outbox}:sent:${jobId}`;
}

/**
 * rate-limiter-flexible `keyPrefix` of a per-chat limiter: `<prefix>:outbox:rl:<kind>`; the library
 * appends `:<chatId>`. Living under the queue prefix, the keys are dropped together with the queue.
 */
export function chatLimiterKeyPrefix(prefix: string, kind: 'chat-second' | 'group-minute'): string {
  return `${prefix}:${QueueName.Outbox}:rl:${kind}`;
}
