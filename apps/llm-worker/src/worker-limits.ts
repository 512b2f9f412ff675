import type { ConfigService } from '@nestjs/config';
import type { LlmWorkerEnv } from './llm-worker.env';

/** Times an llm-worker job may stall (its worker died) before BullMQ fails it; re-runs send nothing twice. */
export const LLM_MAX_STALLED = 2;

/**
 * The lock options every llm-worker queue shares: locks of LLM_WORKER_LOCK_MS (ms), checked as often,
 * so a job of a killed worker is taken over after that long; LLM_MAX_STALLED stalls at most.
 */
export function llmLockOptions(config: ConfigService<LlmWorkerEnv, true>): { lockDuration: number; stalledInterval: number; maxStalledCount: number } {
  const lockDuration = config.get('LLM_WORKER_LOCK_MS', { infer: true });
  return { lockDuration, stalledInterval: lockDuration, maxStalledCount: LLM_MAX_STALLED };
}
