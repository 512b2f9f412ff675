/**
 * Forum topics of exported messages.
 *
 * In a forum supergroup export, a topic's root is its `topic_created` service message, and a plain
 * message posted in the topic has `reply_to_message_id` = that root: it is not a reply to a person.
 * A real reply inside the topic points at the message it answers, which is itself in the topic.
 * So a message's topic is: the message itself if it is a root; else the topic of its reply target
 * (following reply chains back to a root); else none (the General topic, or a chain broken by a
 * deleted message).
 */
import type { ExportMessage } from './export-schema';

/** Finds the forum topic (root message id) of a message; undefined means no topic. */
export interface TopicResolver {
  /** Ids of the chat's `topic_created` service messages. */
  readonly roots: ReadonlySet<number>;
  /** Topic root id of the message, or undefined (General topic / unknown). */
  topicOf(message: Pick<ExportMessage, 'id' | 'reply_to_message_id'>): number | undefined;
}

/** Builds a {@link TopicResolver} over all messages of one exported chat (memoized, cycle-safe). */
export function createTopicResolver(messages: readonly ExportMessage[]): TopicResolver {
  const roots = new Set(messages.filter((m) => m.type === 'service' && m.action === 'topic_created').map((m) => m.id));
  const replyTargets = new Map<number, number | undefined>(messages.map((m) => [m.id, m.reply_to_message_id]));
  const memo = new Map<number, number | undefined>();

  const topicOf = (message: Pick<ExportMessage, 'id' | 'reply_to_message_id'>): number | undefined => {
    const chain: number[] = [];
    let id: number | undefined = message.id;
    let target: number | undefined = message.reply_to_message_id;
    let topic: number | undefined;
    const seen = new Set<number>();
    while (id !== undefined && !seen.has(id)) {
      if (roots.has(id)) {
        topic = id;
        break;
      }
      if (memo.has(id)) {
        topic = memo.get(id);
        break;
      }
      seen.add(id);
      chain.push(id);
      id = target;
      target = id === undefined ? undefined : replyTargets.get(id);
    }
    for (const visited of chain) memo.set(visited, topic);
    return topic;
  };

  return { roots, topicOf };
}
