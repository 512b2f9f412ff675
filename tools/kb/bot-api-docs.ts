import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** One field or parameter in the machine-readable Bot API spec (PaulSonOfLars/telegram-bot-api-spec `api.json`). */
interface SpecField {
  name: string;
  types: string[];
  required: boolean;
  description: string;
}

/** A method or type of the spec. */
interface SpecEntry {
  name: string;
  href: string;
  description?: string[];
  returns?: string[];
  fields?: SpecField[];
  subtypes?: string[];
}

/** One knowledge-base document made from the spec. */
export interface BotApiDocument {
  /** Method or type name, e.g. `sendPhoto`, `Message`: the document's title and file name. */
  name: string;
  kind: 'method' | 'type';
  /** The document as Markdown. */
  markdown: string;
}

/**
 * Turns the Bot API spec into one Markdown document per method and per type: a `#` heading with the
 * name, its description, what a method returns, then its parameters (or a type's fields) as a list
 * under `## Parameters` / `## Fields`, each with types, whether it is required, and its description.
 */
export function botApiDocuments(spec: { methods: Record<string, SpecEntry>; types: Record<string, SpecEntry> }): BotApiDocument[] {
  const documents: BotApiDocument[] = [];
  for (const [kind, entries] of [['method', spec.methods], ['type', spec.types]] as const) {
    for (const entry of Object.values(entries)) {
      const lines = [`# ${entry.name}`, '', `Telegram Bot API ${kind}. ${(entry.description ?? []).join('\n\n')}`, ''];
      if (entry.returns?.length) lines.push(`Returns: ${entry.returns.join(' or ')}.`, '');
      if (entry.subtypes?.length) lines.push(`One of: ${entry.subtypes.join(', ')}.`, '');
      if (entry.fields?.length) {
        lines.push(kind === 'method' ? '## Parameters' : '## Fields', '');
        for (const field of entry.fields) {
          lines.push(`- ${field.name} (${field.types.join(' or ')}, ${field.required ? 'required' : 'optional'}): ${field.description}`);
        }
        lines.push('');
      }
      lines.push(`Reference: ${entry.href}`);
      documents.push({ name: entry.name, kind, markdown: lines.join('\n') });
    }
  }
  return documents;
}

/** Writes each document as `<out>/<name>.md`. @returns how many were written */
export function writeBotApiDocuments(specFile: string, outDir: string): number {
  const documents = botApiDocuments(JSON.parse(readFileSync(specFile, 'utf8')));
  mkdirSync(outDir, { recursive: true });
  for (const document of documents) writeFileSync(join(outDir, `${document.name}.md`), document.markdown);
  return documents.length;
}

// `node dist/tools/kb/bot-api-docs.js [api.json] [out dir]`, then `kraken kb add <out dir>`.
if (require.main === module) {
  const spec = resolve(process.argv[2] ?? 'test/fixtures/telegram-bot-api/api.json');
  const out = resolve(process.argv[3] ?? 'bot-api-kb');
  process.stdout.write(`${writeBotApiDocuments(spec, out)} documents written to ${out}\n`);
}
