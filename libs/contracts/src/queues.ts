/**
 * Every BullMQ queue Kraken uses and the job names each carries: the one place producers and workers
 * take queue and job names from (the job registry JOBS in @kraken/queue maps them to payload schemas).
 * Renaming a queue or a job strands the jobs waiting under the old name: drain it first, or ship a
 * release that consumes both names.
 */
export const QueueName = {
  /** Facts for the stats worker: messages, edits, member events, reactions, snapshots, purges (gateway → stats-worker). */
  Stats: 'stats',
  /** Every Bot API call Kraken makes (see @kraken/outbox). */
  Outbox: 'outbox',
  /** Answers to triggers and chat commands (gateway → llm-worker; LLM calls, modest concurrency). */
  ChatAnswers: 'chat-answers',
  /** Every group/private message, to keep the rolling context (gateway → llm-worker; fast, high concurrency). */
  ChatContext: 'chat-context',
  /**
   * Recaps and knowledge-base commands (gateway → llm-worker). Kept apart from `chat-answers` so a
   * long map-reduce recap never holds up ordinary answers.
   */
  ChatKnowledge: 'chat-knowledge',
  /** Meme submissions and moderators' decisions (gateway → digest-worker; short jobs, several at once). */
  Memes: 'memes',
  /** Digest schedule ticks, publishing and /digest commands (digest-worker; LLM calls and uploads, few at once). */
  Digest: 'digest',
  /** The private assistant: private-chat messages, commands and button presses (gateway → llm-worker). */
  Assistant: 'assistant',
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

/** Job names of the `chat-answers` queue. */
export const ChatJob = {
  /** Answer a trigger (name, mention, reply to the bot, private chat, or a question). */
  Answer: 'answer',
  /** A chat command (`/usage`, `/policy`, `/link`) for the worker to check and execute. */
  Command: 'command',
} as const;
export type ChatJob = (typeof ChatJob)[keyof typeof ChatJob];

/** Job names of the `chat-context` queue. */
export const ContextJob = {
  /** A new or edited message to put into the chat's rolling context. */
  Message: 'message',
} as const;

/** Job names of the `chat-knowledge` queue. */
export const KnowledgeJob = {
  /** `/recap [6h|200]`, a reply with `/recap`, or "Кракен, что тут было?". */
  Recap: 'recap',
  /** `/kb add|list|remove|ask …`. */
  Command: 'kb-command',
  /** A question waiting under the `quiet` policy: answer it at once when the knowledge base answers it well. */
  Probe: 'kb-probe',
} as const;
export type KnowledgeJob = (typeof KnowledgeJob)[keyof typeof KnowledgeJob];

/** Job names of the `memes` queue. */
export const MemeJob = {
  /** A photo, video or GIF submitted as a meme. */
  Submit: 'submit',
  /** An Approve/Reject button press, or `/reject <reason>` replying to a moderation card. */
  Decide: 'decide',
} as const;
export type MemeJob = (typeof MemeJob)[keyof typeof MemeJob];

/** Job names of the `digest` queue. */
export const DigestJob = {
  /** Scheduler tick (DIGEST_CRON): one `publish` job per configured chat for the previous month. */
  Monthly: 'monthly',
  /** Create (if needed) and publish the digest of one chat and month; a published one is left alone. */
  Publish: 'publish',
  /** `/digest preview|publish [YYYY-MM]` from a chat, checked and executed by the worker. */
  Command: 'command',
} as const;
export type DigestJob = (typeof DigestJob)[keyof typeof DigestJob];

/** Job names of the `assistant` queue. */
export const AssistantJob = {
  /** A private-chat message to answer in the user's current session. */
  Message: 'message',
  /** An assistant command (`/new`, `/sessions` …) in a private chat. */
  Command: 'command',
  /** A press on one of the assistant's inline buttons (callback data `as:…`). */
  Callback: 'callback',
} as const;
export type AssistantJob = (typeof AssistantJob)[keyof typeof AssistantJob];
