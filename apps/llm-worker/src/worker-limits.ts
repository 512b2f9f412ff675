/** Times an llm-worker job may stall (its worker died) before BullMQ fails it; re-runs send nothing twice. */
export const LLM_MAX_STALLED = 2;
