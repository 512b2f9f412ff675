import type { Command } from 'commander';
import { PrismaService } from '@kraken/db';
import { MonthlyStatsQuery, parseMonth, type MonthlyStats } from '@kraken/stats';
import { cliConfig, integer, timeZoneOption } from '../cli-options';

/** `kraken stats --chat N --month YYYY-MM [--tz IANA] [--json]`: one month of one chat. */
export function registerStatsCommand(program: Command): void {
  program
    .command('stats')
    .description('print the statistics of one chat for one calendar month')
    .requiredOption('--chat <id>', 'chat id as in the Bot API (e.g. -1002482670091)', integer)
    .requiredOption('--month <YYYY-MM>', 'calendar month, cut in --tz')
    .option('--tz <IANA>', 'time zone the month is cut in (default KRAKEN_TIMEZONE)', timeZoneOption)
    .option('--json', 'print the JSON object described in the README')
    .action(async (options: { chat: number; month: string; tz?: string; json?: boolean }) => {
      const config = cliConfig();
      const month = parseMonth(options.month);
      const prisma = new PrismaService({ databaseUrl: config.DATABASE_URL, poolSize: 2 });
      try {
        const stats = await new MonthlyStatsQuery(prisma).compute(options.chat, month, options.tz ?? config.KRAKEN_TIMEZONE);
        process.stdout.write(options.json ? `${JSON.stringify(stats, null, 2)}\n` : formatStats(stats));
      } finally {
        await prisma.$disconnect();
      }
    });
}

/** Human-readable form of MonthlyStats. */
export function formatStats(s: MonthlyStats): string {
  const kinds = Object.entries(s.byKind).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || '—';
  const lines = [
    `Chat ${s.chatId}, ${s.month} (${s.tz})`,
    `  messages              ${s.messages}  (${kinds})`,
    `  active participants   ${s.activeParticipants}  (previous month ${s.activeParticipantsPrev})`,
    `  joins / leaves        ${s.joins} / ${s.leaves}`,
    `  members               ${s.members.start ?? 'unknown'} → ${s.members.end ?? 'unknown'}`,
    `  replies / forwards    ${s.replies} / ${s.forwards}`,
    `  stories / edits       ${s.stories} / ${s.edits}`,
    `  memes                 submitted ${s.memes.submitted}, approved ${s.memes.approved}, rejected ${s.memes.rejected}, pending ${s.memes.pending}`,
    `  busiest day           ${s.busiestDay ? `${s.busiestDay.date} (${s.busiestDay.messages})` : '—'}`,
    `  top posters`,
    ...s.topPosters.map((p, i) => `    ${String(i + 1).padStart(2)}. ${p.name} (${p.userId}): ${p.messages}`),
  ];
  return `${lines.join('\n')}\n`;
}
