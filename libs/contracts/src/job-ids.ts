/**
 * BullMQ job id of a Telegram update. Deterministic, so a redelivered update is not enqueued twice
 * while its job is kept; BullMQ forbids ":" in custom ids and all-digit ids, hence the prefix.
 */
export const updateJobId = (updateId: number): string => `tg-${updateId}`;
