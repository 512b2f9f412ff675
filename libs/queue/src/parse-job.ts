import { UnrecoverableError, type Job } from 'bullmq';
import type { z } from 'zod';
import { payloadSchema, type JobData, type JobNameOf, type RegisteredQueue } from './job-registry';

/** Longest list of zod issues quoted in the error of an invalid payload (characters). */
const ISSUES_MAX_CHARS = 500;

/**
 * Validates a job's payload against the registry (JOBS) and returns it typed, with the schema's
 * defaults applied. A job that cannot succeed however often it is retried fails at once:
 * @throws UnrecoverableError `unknown job "<name>" on queue "<queue>"` when the registry has no such
 *   job, or `invalid <name> payload (queue <queue>): <path>: <zod message>; …` naming each zod issue (paths and
 *   zod's messages only, never the payload's values)
 */
export function parseJob<Q extends RegisteredQueue, N extends JobNameOf<Q>>(job: Job): JobData<Q, N> {
  const schema = payloadSchema(job.queueName, job.name);
  if (!schema) throw new UnrecoverableError(`unknown job "${job.name}" on queue "${job.queueName}"`);
  const result = schema.safeParse(job.data ?? {});
  if (result.success) return result.data as JobData<Q, N>;
  throw new UnrecoverableError(`invalid ${job.name} payload (queue ${job.queueName}): ${describeIssues(result.error)}`);
}

function describeIssues(error: z.ZodError): string {
  const text = error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ');
  return text.length > ISSUES_MAX_CHARS ? `${text.slice(0, ISSUES_MAX_CHARS)}…` : text;
}
