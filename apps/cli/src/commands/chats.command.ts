import type { Command } from 'commander';
import { PrismaService } from '@kraken/db';
import { KnownChatsRepository, type KnownChat } from '@kraken/stats';
import { cliConfig } from '../cli-options';

/**
 * `kraken chats [--all] [--json]`: the chats Kraken has seen with their ids, types and titles, to fill
 * DIGEST_CHATS, MEME_MODERATION_CHAT_ID and MEME_CHANNEL_ID (see docs/setup.md).
 */
export function registerChatsCommand(program: Command): void {
  program
    .command('chats')
    .description('list the groups and channels Kraken has seen, with their ids (for DIGEST_CHATS, MEME_*_ID)')
    .option('--all', 'include private chats')
    .option('--json', 'print [{id, type, title, username, messages, lastMessageAt}] as JSON')
    .action(async (options: { all?: boolean; json?: boolean }) => {
      const config = cliConfig();
      const prisma = new PrismaService({ databaseUrl: config.DATABASE_URL, poolSize: 1 });
      try {
        const chats = await new KnownChatsRepository(prisma).list({ includePrivate: options.all });
        process.stdout.write(options.json ? `${JSON.stringify(chats)}\n` : formatChats(chats, config.KRAKEN_TIMEZONE));
      } finally {
        await prisma.$disconnect();
      }
    });
}

/** A table of chats, or a hint when none was seen yet. */
export function formatChats(chats: KnownChat[], tz: string): string {
  if (chats.length === 0) {
    return 'No chats seen yet. Add the bot to your group, moderation chat and channel while the gateway and the stats worker run (docs/setup.md).\n';
  }
  const when = new Intl.DateTimeFormat('sv-SE', { timeZone: tz, dateStyle: 'short', timeStyle: 'short' });
  const rows = chats.map((c) => [
    String(c.id),
    c.type,
    String(c.messages),
    c.lastMessageAt ? when.format(c.lastMessageAt) : '—',
    `${c.title ?? ''}${c.username ? ` (@${c.username})` : ''}`,
  ]);
  const header = ['ID', 'TYPE', 'MESSAGES', 'LAST MESSAGE', 'TITLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}
