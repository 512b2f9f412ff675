/** The llm-worker's settings; the schema lives with the others in @kraken/config. */
export { llmWorkerEnv, type LlmWorkerEnv } from '@kraken/config';
