import type { Job, JobsOptions, Queue } from 'bullmq';
import type { JobInput, JobNameOf, RegisteredQueue } from './job-registry';

/** A BullMQ Queue known to be registry queue `Q` (see jobQueue), so enqueue can type its jobs. */
export type JobQueue<Q extends RegisteredQueue> = Queue & { readonly name: Q };

/**
 * Narrows a BullMQ Queue (e.g. one injected with `@InjectQueue`) to registry queue `name`.
 * @throws TypeError when `queue` is another queue (a wiring mistake, found at start-up)
 */
export function jobQueue<Q extends RegisteredQueue>(queue: Queue, name: Q): JobQueue<Q> {
  if (queue.name !== name) throw new TypeError(`expected the BullMQ queue "${name}", got "${queue.name}"`);
  return queue as JobQueue<Q>;
}

/**
 * Adds job `name` with `data` to `queue`; the compiler checks that the queue carries that job and that
 * `data` matches its payload schema (JOBS). The payload is not validated again at run time here
 * (producers sit on hot paths): the worker's parseJob does that.
 * @returns the added job (an existing one when `opts.jobId` is already taken, as BullMQ does)
 * @throws the Redis error when the job cannot be added
 */
export function enqueue<Q extends RegisteredQueue, N extends JobNameOf<Q>>(queue: JobQueue<Q>, name: N, data: JobInput<Q, N>, opts?: JobsOptions): Promise<Job> {
  return queue.add(name, data, opts);
}

/**
 * A job described for a bulk or flow add (BullMQ `FlowProducer.add`/`addBulk` take `{ queueName,
 * name, data, opts }`): queue `Q`, job `N` and a payload typed against the registry (JOBS).
 */
export interface JobDescriptor<Q extends RegisteredQueue, N extends JobNameOf<Q>, O extends JobsOptions = JobsOptions> {
  queueName: Q;
  name: N;
  data: JobInput<Q, N>;
  opts: O;
}

/**
 * Describes job `name` of `queueName` with `data` and `opts` for FlowProducer (a flow's parent or a
 * root of `addBulk`); the compiler checks the job belongs to the queue and `data` to its schema, as
 * enqueue does. Not validated at run time (the worker's parseJob does that).
 */
export function jobDescriptor<Q extends RegisteredQueue, N extends JobNameOf<Q>, O extends JobsOptions>(queueName: Q, name: N, data: JobInput<Q, N>, opts: O): JobDescriptor<Q, N, O> {
  return { queueName, name, data, opts };
}

/** Any job of the registry as a JobDescriptor: the union over every queue and job name, so `data` stays tied to `name`. */
export type AnyJobDescriptor<O extends JobsOptions = JobsOptions> = { [Q in RegisteredQueue]: { [N in JobNameOf<Q>]: JobDescriptor<Q, N, O> }[JobNameOf<Q>] }[RegisteredQueue];
