import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The Kraken package root (the folder whose package.json is named "kraken"), found from this file upwards. */
export function projectRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'kraken') return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find Kraken's package.json above ${from}`);
  }
}
