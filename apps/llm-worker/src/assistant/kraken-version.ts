import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Injection token of Kraken's version (package.json's `version`, `dev` when it cannot be read). */
export const KRAKEN_VERSION = Symbol('KRAKEN_VERSION');

/** package.json's `version` in the working directory (the image's /app), or `dev`. */
export function readKrakenVersion(root: string = process.cwd()): string {
  try {
    return String((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown }).version ?? 'dev');
  } catch {
    return 'dev';
  }
}
