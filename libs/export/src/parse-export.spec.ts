import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExport, readExportFile } from '@kraken/export';

const EXPORT_PATH = join(__dirname, '../../../test/fixtures/impact-group/result.json');

describe('parseExport / readExportFile', () => {
  const chats = readExportFile(EXPORT_PATH);
  const [chat] = chats;
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kraken-export-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the real full-account export (chats.list wrapper)', () => {
    expect(chats).toHaveLength(1);
    expect(chat).toMatchObject({ name: 'ENSIA IMPACT © Group', type: 'private_supergroup', id: 2482670091 });
    expect(chat.messages).toHaveLength(1250);
  });

  it('keeps unknown keys (passthrough) and string texts as in the file', () => {
    const first = chat.messages.find((m) => m.id === 4)!;
    expect(first.date).toBe('2024-09-21T13:47:30'); // not in the schema, kept
    expect(first.text).toBe('Welcome to all those who believe in themselves to change the world');
  });

  it('accepts a single-chat export built from the real one', () => {
    const single = { name: chat.name, type: chat.type, id: chat.id, messages: chat.messages };
    const parsed = parseExport(JSON.parse(JSON.stringify(single)));
    expect(parsed).toHaveLength(1);
    expect(parsed[0].messages).toHaveLength(1250);
    expect(parsed[0]).toEqual(chat);
  });

  it('adds left_chats.list after chats.list in full exports', () => {
    const other = { name: 'Old', type: 'private_group', id: 5, messages: [] };
    const parsed = parseExport({ chats: { list: [other] }, left_chats: { list: [{ ...other, id: 6 }] } });
    expect(parsed.map((c) => c.id)).toEqual([5, 6]);
  });

  it('rejects values that are not an export, naming the expected shapes', () => {
    const message = 'not a Telegram Desktop export: expected "messages" array or "chats.list"';
    expect(() => parseExport(null)).toThrow(message);
    expect(() => parseExport([])).toThrow(message);
    expect(() => parseExport({ chats: {} })).toThrow(message);
    expect(() => parseExport({ name: 'x', messages: 'nope' })).toThrow(message);
  });

  it('names the path of an invalid field', () => {
    const broken = JSON.parse(JSON.stringify({ chats: { list: [{ ...chat, messages: chat.messages.slice(0, 20) }] } }));
    broken.chats.list[0].messages[12].date_unixtime = 'yesterday';
    expect(() => parseExport(broken)).toThrow(
      'invalid Telegram Desktop export: chats.list[0].messages[12].date_unixtime: expected Unix seconds as a decimal string',
    );
    expect(() => parseExport({ type: 'private_group', messages: [] })).toThrow(/invalid Telegram Desktop export: id: /);
    expect(() => parseExport({ type: 'x', id: 1, messages: [{ id: 1, type: 'message', date_unixtime: '1', from_id: 'bob' }] })).toThrow(
      /messages\[0\]\.from_id: expected "user<digits>"/,
    );
  });

  it('reports a missing file and invalid JSON clearly', () => {
    const missing = join(dir, 'missing.json');
    expect(() => readExportFile(missing)).toThrow(`export file not found: ${missing}`);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"chats": ');
    expect(() => readExportFile(bad)).toThrow(new RegExp(`^export file is not valid JSON: ${bad}: `));
  });
});
