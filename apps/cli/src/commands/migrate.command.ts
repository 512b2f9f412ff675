import { join } from 'node:path';
import type { Command } from 'commander';
import { applyMigrations, ensureDatabase } from '@kraken/db';
import { cliConfig } from '../cli-options';
import { projectRoot } from '../project-root';

/**
 * `kraken migrate`: creates the database if missing, then applies pending migrations from
 * prisma/migrations, recorded in `_prisma_migrations` as Prisma records them.
 */
export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (safe to run any time, also concurrently)')
    .option('--dir <path>', 'migrations folder', join(projectRoot(), 'prisma', 'migrations'))
    .action(async (options: { dir: string }) => {
      const config = cliConfig();
      if (await ensureDatabase(config.DATABASE_URL)) process.stderr.write('created the database\n');
      const result = await applyMigrations({
        databaseUrl: config.DATABASE_URL,
        migrationsDir: options.dir,
        log: (line: string) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(
        result.applied.length
          ? `applied ${result.applied.length} migration(s): ${result.applied.join(', ')}\n`
          : `database is up to date (${result.alreadyApplied.length} migration(s) applied earlier)\n`,
      );
    });
}
