import { Command } from 'commander';
import { registerChatsCommand } from './commands/chats.command';
import { registerImportCommand } from './commands/import.command';
import { registerKbCommand } from './commands/kb.command';
import { registerMigrateCommand } from './commands/migrate.command';
import { registerMonthsCommand } from './commands/months.command';
import { registerReplayCommand } from './commands/replay.command';
import { registerStatsCommand } from './commands/stats.command';
import { registerUsersCommand } from './commands/users.command';

/** `kraken`: the operator's command line. Reads the same configuration as the apps (.env, environment). */
const program = new Command('kraken')
  .description('Kraken, a Telegram community bot: migrations, history import, replay, statistics, the chats it has seen, the knowledge base and API admins')
  .showHelpAfterError();
registerMigrateCommand(program);
registerImportCommand(program);
registerReplayCommand(program);
registerStatsCommand(program);
registerMonthsCommand(program);
registerChatsCommand(program);
registerKbCommand(program);
registerUsersCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`kraken: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
