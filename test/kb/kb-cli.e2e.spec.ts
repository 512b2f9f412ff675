import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@kraken/testing';
import { runCli } from '../support/processes';
import { sampleDocx, samplePdf } from './support/sample-files';

/**
 * `kraken kb add <folder> [--chat N]` and `kraken kb search "<q>" --json`, run as processes from dist/
 * (npm run build): every supported format (PDF parsing runs here, in plain Node), titles from file
 * names, re-adding replaces, bad files are reported and skipped.
 */
describe('kraken kb (CLI)', () => {
  let db: TestDatabase;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    env = { DATABASE_URL: db.url, LOG_LEVEL: 'warn' };
    dir = mkdtempSync(join(tmpdir(), 'kraken-kb-'));
    writeFileSync(join(dir, 'rules.md'), '# Rules\n\n## Spam\nAdvertising is forbidden: a warning first, then a ban.\n\n## Meetups\nMeetups happen on the first Saturday of the month.');
    writeFileSync(join(dir, 'parking.pdf'), samplePdf(['Parking is free for members after 6 pm.', 'Use the back entrance.']));
    writeFileSync(join(dir, 'office.docx'), sampleDocx([{ text: 'Office hours', heading: 1 }, { text: 'The office opens at 9 and closes at 21.' }]));
    writeFileSync(join(dir, 'faq.html'), '<h1>FAQ</h1><p>The Wi-Fi network is Kraken-Guest.</p>');
    writeFileSync(join(dir, 'notes.txt'), 'Coffee is free on Fridays.');
    writeFileSync(join(dir, 'scan.pdf'), samplePdf([]));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  });

  const search = async (question: string, extra: string[] = []) => {
    const result = await runCli(['kb', 'search', question, '--json', ...extra], env);
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout) as Array<{ document: string; section: number; chunk: string; score: number }>;
  };

  it('adds a folder, one document per file titled by its name; a text-less PDF is skipped with a reason', async () => {
    const added = await runCli(['kb', 'add', dir, '--chat', '-100123'], env);
    expect(added.stdout.split('\n').filter(Boolean).map((l) => l.replace(/ \(#\d+\)/, ''))).toEqual([
      'added "faq": 1 sections',
      'added "notes": 1 sections',
      'added "office": 1 sections',
      'added "parking": 1 sections',
      'added "rules": 2 sections',
    ]);
    expect(added.stderr).toMatch(/skipped .*scan\.pdf: the PDF has no text layer/);
    expect(added.code).toBe(1);
  });

  it('searches best first as [{document, chunk, score}]', async () => {
    const [best] = await search('when is parking free?', ['--chat', '-100123', '--limit', '3']);
    expect(best).toMatchObject({ document: 'parking', section: 1 });
    expect(best.chunk).toContain('Parking is free for members after 6 pm.');
    expect(best.score).toBeGreaterThan(0.3);
    expect((await search('office hours', ['--chat', '-100123']))[0].document).toBe('office');
    expect((await search('wi-fi network', ['--chat', '-100123']))[0].document).toBe('faq');
    // Documents of chat -100123 are not searched for another chat.
    expect(await search('parking', ['--chat', '-100999'])).toEqual([]);
    expect(await search('& | ! :* \'"', ['--chat', '-100123'])).toEqual([]);
  });

  it('adding the same file again replaces it', async () => {
    writeFileSync(join(dir, 'rules.md'), '# Rules\n\nMeetups moved to Sundays.');
    const again = await runCli(['kb', 'add', join(dir, 'rules.md'), '--chat', '-100123'], env);
    expect(again.stdout).toMatch(/^added "rules" \(#\d+\): 1 sections\n$/);
    const list = JSON.parse((await runCli(['kb', 'list', '--chat', '-100123', '--json'], env)).stdout) as Array<{ title: string }>;
    expect(list.filter((d) => d.title === 'rules')).toHaveLength(1);
    const [best] = await search('meetups', ['--chat', '-100123']);
    expect(best.chunk).toBe('Meetups moved to Sundays.');
  });
});
