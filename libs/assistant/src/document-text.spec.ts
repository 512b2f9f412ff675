import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chunksOf } from './document-digest';
import { CSV_MAX_ROWS, DocumentRefusal, documentText, fileTreatment } from './document-text';

const REPO = join(__dirname, '..', '..', '..');
const FIXTURES = join(REPO, 'test', 'fixtures', 'assistant');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

/** A one-page PDF built by hand: `extra` goes into the trailer, `content` is the page's content stream. */
function pdf(content: string, extra = ''): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${extra}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/**
 * documentText of a PDF, run in a plain Node process on the build (dist): pdf.js loads its worker with
 * a dynamic import(), which jest's VM refuses without --experimental-vm-modules.
 * @returns the text, or the refusal code
 */
function readPdf(data: Buffer): { text?: string; code?: string } {
  const script = `const { documentText } = require(${JSON.stringify(join(REPO, 'dist', 'libs', 'assistant', 'src', 'document-text.js'))});
const chunks = []; process.stdin.on('data', (c) => chunks.push(c)).on('end', () => documentText(Buffer.concat(chunks), 'file.pdf')
  .then((text) => console.log(JSON.stringify({ text })), (e) => console.log(JSON.stringify({ code: e.code ?? 'crash:' + e.message }))));`;
  const run = spawnSync(process.execPath, ['-e', script], { input: data, cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`node failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as { text?: string; code?: string };
}

const refusal = async (promise: Promise<unknown>): Promise<string> => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DocumentRefusal);
  return (error as DocumentRefusal).code;
};

describe('documentText (the assistant reading documents)', () => {
  test('reads the real PDF and DOCX fixtures', async () => {
    expect(readPdf(fixture('sample.pdf')).text).toContain('The secret word of this PDF is PELICAN-42.');
    const docx = await documentText(fixture('sample.docx'), 'sample.docx');
    expect(docx).toContain('The secret word of this DOCX is WALRUS-17.');
    expect(docx).toContain('library opens at 10:00 on Saturdays');
  });

  test('reads TXT, Markdown, CSV and JSON; the extension wins over the MIME type', async () => {
    expect(await documentText(Buffer.from('Line one\n\nLine two'), 'notes.txt')).toBe('Line one\n\nLine two');
    expect(await documentText(Buffer.from('# Title\n\nBody text'), 'readme.md', 'application/octet-stream')).toContain('Body text');
    expect(await documentText(Buffer.from('name,age\nAnna,31\nBoris,42\n'), 'people.csv')).toBe('name,age\nAnna,31\nBoris,42');
    expect(await documentText(Buffer.from('{"city":"Oslo","n":[1,2]}'), 'data.json')).toBe('{\n  "city": "Oslo",\n  "n": [\n    1,\n    2\n  ]\n}');
  });

  test('refuses bad files with a code, never another error', async () => {
    expect(await refusal(documentText(Buffer.alloc(0), 'empty.pdf'))).toBe('empty');
    expect(readPdf(Buffer.from('%PDF-1.4 garbage \u0000\u0001 not a pdf')).code).toBe('unreadable');
    expect(await refusal(documentText(Buffer.from('PK\u0003\u0004 not really a zip'), 'broken.docx'))).toBe('unreadable');
    expect(await refusal(documentText(Buffer.from('{"open": '), 'broken.json'))).toBe('unreadable');
    expect(readPdf(pdf('0 0 m 100 100 l S')).code).toBe('no-text');
    const header = `id,value\n`;
    const rows = Array.from({ length: 100_000 }, (_, i) => `${i},${i * 2}`).join('\n');
    expect(await refusal(documentText(Buffer.from(header + rows), 'big.csv'))).toBe('too-many-rows');
    expect(await documentText(Buffer.from(header + Array.from({ length: CSV_MAX_ROWS }, (_, i) => `${i},x`).join('\n')), 'ok.csv')).toContain(`${CSV_MAX_ROWS - 1},x`);
  });

  test('an encrypted PDF (a user password) is refused as password-protected', () => {
    const id = '<0123456789abcdef0123456789abcdef>';
    const encrypted = pdf('BT /F1 12 Tf 10 10 Td (secret) Tj ET', `/Encrypt << /Filter /Standard /V 1 /R 2 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> /P -4 >> /ID [${id} ${id}] `);
    expect(readPdf(encrypted).code).toBe('password');
  });

  test('fileTreatment: photos and images are seen, documents read, the rest refused', () => {
    expect(fileTreatment('photo')).toBe('image');
    expect(fileTreatment('document', 'scan.PNG', 'application/octet-stream')).toBe('image');
    expect(fileTreatment('document', undefined, 'image/webp')).toBe('image');
    expect(fileTreatment('document', 'report.pdf')).toBe('document');
    expect(fileTreatment('document', undefined, 'text/csv')).toBe('document');
    expect(fileTreatment('document', 'virus.exe', 'application/pdf')).toBe('unsupported');
    expect(fileTreatment('document', 'old.doc')).toBe('unsupported');
    expect(fileTreatment('document', '../../etc/passwd')).toBe('unsupported');
  });

  test('chunksOf cuts a long text on paragraphs into pieces within the token limit', () => {
    const text = Array.from({ length: 60 }, (_, i) => `Paragraph ${i} says the walrus counts ${i} fish in the cold sea.`).join('\n\n') + '\n\n' + 'word '.repeat(3000);
    const chunks = chunksOf(text, 'gpt-4o-mini', 200);
    expect(chunks.length).toBeGreaterThan(5);
    const { countTokens } = jest.requireActual<typeof import('@kraken/llm')>('@kraken/llm');
    for (const chunk of chunks) expect(countTokens(chunk, 'gpt-4o-mini')).toBeLessThanOrEqual(200);
    expect(chunks.join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
  });
});
