/**
 * BullMQ queue names shared by producers and workers. Renaming one strands the jobs waiting in the old
 * queue: drain it first, or ship a release that consumes both names.
 */
export const QueueName = {
  /** Facts for the stats worker: messages, edits, member events, reactions, snapshots, purges. */
  Stats: 'stats',
  /** Every Bot API call Kraken makes (see @kraken/outbox). */
  Outbox: 'outbox',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** Job names of the `stats` queue. */
export const StatsJob = {
  Message: 'message',
  EditedMessage: 'edited-message',
  ChatMember: 'chat-member',
  /** Kraken's own membership changed (my_chat_member): the chat is recorded even if no message is seen. */
  ChatSeen: 'chat-seen',
  ReactionCount: 'reaction-count',
  Reaction: 'reaction',
  /** Flow parent: records the getChatMemberCount result of its outbox child. */
  MemberCountSnapshot: 'member-count-snapshot',
  /** Scheduled: creates one member-count flow per known group chat. */
  SnapshotMemberCounts: 'snapshot-member-counts',
  /** Scheduled: clears message texts older than TEXT_RETENTION_DAYS. */
  PurgeTexts: 'purge-texts',
} as const;
export type StatsJob = (typeof StatsJob)[keyof typeof StatsJob];

/** Job names of the `outbox` queue. */
export const OutboxJob = {
  /** One Bot API method call, e.g. sendMessage or getChatMemberCount. */
  Call: 'call',
} as const;
