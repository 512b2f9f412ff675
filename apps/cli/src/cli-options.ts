import { InvalidArgumentError } from 'commander';
import { cliEnv, loadConfigOrExit, timeZone, type CliEnv } from '@kraken/config';

/** The CLI's configuration: `.env` plus the environment, validated like the apps' (exits 78 on error). */
export const cliConfig = (): CliEnv => loadConfigOrExit(cliEnv);

/** commander parser for an integer option. @throws InvalidArgumentError */
export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected an integer, got "${value}"`);
  return n;
}

/** commander parser for a positive number option. @throws InvalidArgumentError */
export function positive(value: string): number {
  const n = Number(value);
  if (!(n >= 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number >= 0, got "${value}"`);
  return n;
}

/** commander parser for an IANA time zone. @throws InvalidArgumentError */
export function timeZoneOption(value: string): string {
  if (!timeZone.safeParse(value).success) throw new InvalidArgumentError(`unknown time zone "${value}" (expected e.g. Europe/Moscow)`);
  return value;
}
