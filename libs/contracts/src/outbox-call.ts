import { z } from 'zod';

/**
 * One Bot API call for the outbox. `params` are the method's parameters as in
 * https://core.telegram.org/bots/api; binary uploads are passed as `{ base64, filename }` objects
 * (BullMQ job data is JSON). `chatId` selects the per-chat limits; `isMessage` marks calls that send
 * a message (Telegram's per-chat and per-group limits count messages only).
 */
export const OutboxCallSchema = z.object({
  method: z.string().regex(/^[a-zA-Z]+$/),
  params: z.record(z.string(), z.unknown()),
  chatId: z.union([z.number().int(), z.string()]).optional(),
  isMessage: z.boolean().default(false),
});
export type OutboxCall = z.input<typeof OutboxCallSchema>;
