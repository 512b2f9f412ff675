import type { Command } from 'commander';
import { exportChatToUpdates, readExportFile, replayUpdates } from '@kraken/export';
import { integer, positive } from '../cli-options';

/**
 * `kraken replay <result.json> --webhook URL --secret S [--rate N]`: turns an export into Bot API
 * updates and POSTs them to a running gateway over HTTP, as Telegram would (5xx and network errors are
 * retried, 4xx recorded).
 */
export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('post a Telegram Desktop export to a gateway webhook as Bot API updates')
    .argument('<result.json>', 'the export file')
    .requiredOption('--webhook <url>', 'the gateway webhook URL, e.g. http://127.0.0.1:3000/telegram/webhook')
    .option('--secret <token>', 'X-Telegram-Bot-Api-Secret-Token (default WEBHOOK_SECRET)', process.env.WEBHOOK_SECRET)
    .option('--rate <n>', 'updates per second, 0 = as fast as possible', positive, 200)
    .option('--concurrency <n>', 'requests in flight (1 keeps strict order)', integer, 8)
    .option('--chat-id <id>', 'Bot API chat id for the chat (exports with one chat only)', integer)
    .option('--first-update-id <n>', 'update_id of the first update', integer, 1)
    .action(async (file: string, options: { webhook: string; secret?: string; rate: number; concurrency: number; chatId?: number; firstUpdateId: number }) => {
      if (!options.secret) throw new Error('--secret (or WEBHOOK_SECRET) is required');
      const chats = readExportFile(file);
      if (options.chatId !== undefined && chats.length !== 1) throw new Error(`--chat-id needs an export with exactly one chat; ${file} holds ${chats.length}`);
      let firstUpdateId = options.firstUpdateId;
      for (const chat of chats) {
        const updates = exportChatToUpdates(chat, { chatId: options.chatId, firstUpdateId });
        firstUpdateId += updates.length;
        const summary = await replayUpdates(updates, { webhook: options.webhook, secret: options.secret, rate: options.rate, concurrency: options.concurrency });
        process.stdout.write(
          `replayed "${chat.name ?? chat.id}": ${summary.delivered}/${summary.total} delivered, ${summary.rejected.length} rejected, ` +
            `${summary.retries} retries in ${(summary.elapsedMs / 1000).toFixed(1)} s\n`,
        );
        if (summary.rejected.length) process.exitCode = 2;
      }
    });
}
