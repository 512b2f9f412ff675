import type { MigrationSqlFailure } from './migration-errors';

/**
 * Turns an error thrown while running a migration script into MigrationSqlFailure. node-postgres
 * errors carry the SQLSTATE in `code`, and `position`, a 1-based character offset into the script,
 * which becomes a line number; `detail` and `hint` are appended to the message when present.
 *
 * @param error whatever the driver threw.
 * @param script the script that was running, to locate `position`.
 */
export function sqlFailureOf(error: unknown, script: string): MigrationSqlFailure {
  const pgError = error as { code?: unknown; message?: unknown; position?: unknown; detail?: unknown; hint?: unknown };
  const parts = [String(pgError?.message ?? error)];
  if (typeof pgError?.detail === 'string' && pgError.detail) parts.push(`DETAIL: ${pgError.detail}`);
  if (typeof pgError?.hint === 'string' && pgError.hint) parts.push(`HINT: ${pgError.hint}`);
  const code = typeof pgError?.code === 'string' && /^[0-9A-Z]{5}$/.test(pgError.code) ? pgError.code : undefined;
  const offset = Number(pgError?.position);
  const line = Number.isInteger(offset) && offset > 0 ? lineAt(script, offset) : undefined;
  return { code, message: parts.join('\n'), line };
}

/** 1-based line number of the 1-based character offset `position` in `text`. */
function lineAt(text: string, position: number): number {
  let line = 1;
  const end = Math.min(position - 1, text.length);
  for (let i = 0; i < end; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}
