import type { Command } from 'commander';
import { PrismaService } from '@kraken/db';
import { MonthsRepository } from '@kraken/stats';
import { cliConfig, integer, timeZoneOption } from '../cli-options';

/** `kraken months --chat N [--tz] [--json]`: months with messages, busiest first. */
export function registerMonthsCommand(program: Command): void {
  program
    .command('months')
    .description('list the months of a chat with their message counts, busiest first')
    .requiredOption('--chat <id>', 'chat id as in the Bot API', integer)
    .option('--tz <IANA>', 'time zone months are cut in (default KRAKEN_TIMEZONE)', timeZoneOption)
    .option('--json', 'print [{month, messages}] as JSON')
    .action(async (options: { chat: number; tz?: string; json?: boolean }) => {
      const config = cliConfig();
      const prisma = new PrismaService({ databaseUrl: config.DATABASE_URL, poolSize: 1 });
      try {
        const months = await new MonthsRepository(prisma).messageCounts(options.chat, options.tz ?? config.KRAKEN_TIMEZONE);
        process.stdout.write(options.json ? `${JSON.stringify(months)}\n` : months.map((m) => `${m.month}  ${m.messages}\n`).join(''));
      } finally {
        await prisma.$disconnect();
      }
    });
}
