import type { Command } from 'commander';
import { PrismaService } from '@kraken/db';
import { exportChatToUpdates, readExportFile } from '@kraken/export';
import { FactWriter, toBatch, type TaggedFact } from '@kraken/stats';
import { classifyUpdate } from '@kraken/telegram';
import { cliConfig, integer } from '../cli-options';

/** Facts written per database round (rows per statement). */
const IMPORT_BATCH = 1000;

/**
 * `kraken import <result.json> [--chat-id N]`: backfills a Telegram Desktop export into the same tables
 * the stats worker fills, through the same update → fact mapping as the gateway. Idempotent: importing
 * twice, or importing history the bot also received live, changes nothing.
 */
export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('backfill a Telegram Desktop JSON export (single chat or full account) into the statistics')
    .argument('<result.json>', 'the export file')
    .option('--chat-id <id>', 'store the chat under this Bot API chat id (exports with one chat only)', integer)
    .action(async (file: string, options: { chatId?: number }) => {
      const config = cliConfig();
      const chats = readExportFile(file);
      if (options.chatId !== undefined && chats.length !== 1) {
        throw new Error(`--chat-id needs an export with exactly one chat; ${file} holds ${chats.length}`);
      }
      const prisma = new PrismaService({ databaseUrl: config.DATABASE_URL, poolSize: 2 });
      try {
        const writer = new FactWriter(prisma, Number(process.env.TEXT_RETENTION_DAYS ?? 40));
        for (const chat of chats) {
          const facts: TaggedFact[] = [];
          let skipped = 0;
          for (const update of exportChatToUpdates(chat, { chatId: options.chatId })) {
            const classified = classifyUpdate(update);
            if (!classified) skipped++;
            else facts.push(toTaggedFact(classified));
          }
          for (let i = 0; i < facts.length; i += IMPORT_BATCH) await writer.write(toBatch(facts.slice(i, i + IMPORT_BATCH)));
          process.stdout.write(`imported "${chat.name ?? chat.id}": ${facts.length} facts (${skipped} updates without stats facts)\n`);
        }
      } finally {
        await prisma.$disconnect();
      }
    });
}

function toTaggedFact(classified: NonNullable<ReturnType<typeof classifyUpdate>>): TaggedFact {
  switch (classified.job) {
    case 'chat-member':
      return { kind: 'chatMember', fact: classified.fact };
    case 'chat-seen':
      return { kind: 'chatSeen', fact: classified.fact };
    case 'reaction-count':
      return { kind: 'reactionCount', fact: classified.fact };
    case 'reaction':
      return { kind: 'reaction', fact: classified.fact };
    default:
      return { kind: 'message', fact: classified.fact };
  }
}
