/**
 * @kraken/export — Telegram Desktop JSON exports → Bot API updates, and webhook replay.
 *
 * - `parseExport` / `readExportFile`: validate a single-chat or full-account export (`parse-export.ts`);
 * - `exportChatToUpdates`: the updates a bot in the chat would have received (`export-to-updates.ts`,
 *   mapping rules in the module docstrings it imports);
 * - `replayUpdates`: POST them to a webhook like Telegram does (`replay.ts`).
 */
export { parseExport, readExportFile } from './parse-export';
export type { ExportChat, ExportMessage, ExportReaction, ExportTextPart } from './export-schema';
export { exportChatToUpdates } from './export-to-updates';
export type { ExportToUpdatesOptions, SkippedExportMessage } from './export-to-updates';
export { replayUpdates, SECRET_TOKEN_HEADER } from './replay';
export type { RejectedUpdate, ReplayOptions, ReplaySummary } from './replay';
export { GROUP_ANONYMOUS_BOT, CHANNEL_BOT } from './senders';
export { syntheticUserIdFromName, syntheticDeletedUserId } from './telegram-ids';
