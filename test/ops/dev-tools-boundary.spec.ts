import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '@kraken/testing';

/** Every .ts file under `dir` (relative to ROOT), spec files excluded (they never reach a build). */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/**
 * Issue 10 §5: the Bot API emulator and the fake LLM (tools/dev/testing, `@kraken/testing`) are
 * development tools. The production build (`npm run build`, tsconfig.build.json — what the Dockerfile
 * runs) must not compile them, and no app or lib may import them.
 */
describe('development tools stay out of the production build', () => {
  test('no app or lib source imports @kraken/testing or anything under tools/', () => {
    const offenders = [...sources('apps'), ...sources('libs')].filter((file) =>
      /from\s+['"](@kraken\/testing|(\.\.\/)+tools\/)|require\(\s*['"](@kraken\/testing|(\.\.\/)+tools\/)/.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  test('the production build compiles apps and libs only: no file under tools/ or test/', () => {
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    const files = execFileSync(tsc, ['-p', 'tsconfig.build.json', '--listFilesOnly'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((file) => file.startsWith(ROOT) && !file.includes('/node_modules/'))
      .map((file) => relative(ROOT, file));
    expect(files.some((file) => file.startsWith('apps/'))).toBe(true);
    expect(files.filter((file) => !/^(apps|libs)\//.test(file))).toEqual([]);
  });
});
