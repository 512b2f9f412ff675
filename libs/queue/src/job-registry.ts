import {
  AnswerJobSchema,
  AssistantCallbackJobSchema,
  AssistantCommandJobSchema,
  AssistantJob,
  AssistantMessageJobSchema,
  ChatCommandJobSchema,
  ChatJob,
  ChatMemberFactSchema,
  ChatSeenFactSchema,
  ContextJob,
  DigestCommandJobSchema,
  DigestJob,
  DigestMonthlyJobSchema,
  DigestPublishJobSchema,
  KbCommandJobSchema,
  KbProbeJobSchema,
  KnowledgeJob,
  MemberCountSnapshotSchema,
  MemeDecisionJobSchema,
  MemeJob,
  MemeSubmitJobSchema,
  MessageFactSchema,
  OutboxCallSchema,
  OutboxJob,
  QueueName,
  ReactionCountFactSchema,
  ReactionFactSchema,
  RecapJobSchema,
  StatsJob,
} from '@kraken/contracts';
import { z } from 'zod';

/** Payload of a scheduler tick that carries no data (BullMQ job schedulers add `{}`). */
const NoPayloadSchema = z.object({});

/**
 * The job registry: every BullMQ queue Kraken uses, the job names each carries and the zod schema of
 * each job's payload. Producers and workers name queues and jobs through the constants of
 * @kraken/contracts' queues.ts (QueueName, and one job-name set per queue: StatsJob, ChatJob …; kept
 * in contracts, the lowest lib, so feature libs such as @kraken/telegram name jobs without depending
 * on this one); this map is the one place that says which job belongs to which queue and what its
 * data looks like. enqueue/jobDescriptor type producers' payloads against it, parseJob validates
 * against it, QueueWorkers.start checks each worker's handler map against it. Adding a job: its name
 * in queues.ts, its schema here, its handler in the worker app (start-up fails until it exists).
 */
export const JOBS = {
  [QueueName.Stats]: {
    [StatsJob.Message]: MessageFactSchema,
    [StatsJob.EditedMessage]: MessageFactSchema,
    [StatsJob.ChatMember]: ChatMemberFactSchema,
    [StatsJob.ChatSeen]: ChatSeenFactSchema,
    [StatsJob.ReactionCount]: ReactionCountFactSchema,
    [StatsJob.Reaction]: ReactionFactSchema,
    [StatsJob.MemberCountSnapshot]: MemberCountSnapshotSchema,
    [StatsJob.SnapshotMemberCounts]: NoPayloadSchema,
    [StatsJob.PurgeTexts]: NoPayloadSchema,
  },
  [QueueName.Outbox]: {
    [OutboxJob.Call]: OutboxCallSchema,
  },
  [QueueName.ChatAnswers]: {
    [ChatJob.Answer]: AnswerJobSchema,
    [ChatJob.Command]: ChatCommandJobSchema,
  },
  [QueueName.ChatContext]: {
    [ContextJob.Message]: MessageFactSchema,
  },
  [QueueName.Assistant]: {
    [AssistantJob.Message]: AssistantMessageJobSchema,
    [AssistantJob.Command]: AssistantCommandJobSchema,
    [AssistantJob.Callback]: AssistantCallbackJobSchema,
  },
  [QueueName.ChatKnowledge]: {
    [KnowledgeJob.Recap]: RecapJobSchema,
    [KnowledgeJob.Command]: KbCommandJobSchema,
    [KnowledgeJob.Probe]: KbProbeJobSchema,
  },
  [QueueName.Memes]: {
    [MemeJob.Submit]: MemeSubmitJobSchema,
    [MemeJob.Decide]: MemeDecisionJobSchema,
  },
  [QueueName.Digest]: {
    [DigestJob.Monthly]: DigestMonthlyJobSchema,
    [DigestJob.Publish]: DigestPublishJobSchema,
    [DigestJob.Command]: DigestCommandJobSchema,
  },
} as const satisfies Record<string, Record<string, z.ZodType>>;

/** A queue of the registry, e.g. `stats` or `chat-answers`. */
export type RegisteredQueue = keyof typeof JOBS;
/** A job name of queue `Q`, e.g. `message` for `stats`. */
export type JobNameOf<Q extends RegisteredQueue> = keyof (typeof JOBS)[Q] & string;
type SchemaOf<Q extends RegisteredQueue, N extends JobNameOf<Q>> = (typeof JOBS)[Q][N] extends z.ZodType ? (typeof JOBS)[Q][N] : never;
/** The payload a producer passes for job `N` of queue `Q` (the schema's input: defaults may be left out). */
export type JobInput<Q extends RegisteredQueue, N extends JobNameOf<Q>> = z.input<SchemaOf<Q, N>>;
/** The payload a handler of job `N` of queue `Q` receives (validated, defaults applied). */
export type JobData<Q extends RegisteredQueue, N extends JobNameOf<Q>> = z.output<SchemaOf<Q, N>>;

/** Whether `queue` is a queue of the registry. */
export function isRegisteredQueue(queue: string): queue is RegisteredQueue {
  return Object.hasOwn(JOBS, queue);
}

/** The job names queue `queue` carries, in registry order. */
export function jobNamesOf<Q extends RegisteredQueue>(queue: Q): JobNameOf<Q>[] {
  return Object.keys(JOBS[queue]) as JobNameOf<Q>[];
}

/** The payload schema of job `name` of `queue`, or undefined when the registry has no such job. */
export function payloadSchema(queue: string, name: string): z.ZodType | undefined {
  if (!isRegisteredQueue(queue)) return undefined;
  const jobs = JOBS[queue] as Record<string, z.ZodType>;
  return Object.hasOwn(jobs, name) ? jobs[name] : undefined;
}
