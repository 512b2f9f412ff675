import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { PrismaService } from '@kraken/db';
import { createKnowledgeBase, KbInputError, searchResultOf, type KnowledgeBase } from '@kraken/kb';
import { readLlmSettings } from '@kraken/llm';
import { cliConfig, integer } from '../cli-options';

/**
 * `kraken kb …`: the knowledge base from the command line.
 * - `add <file or folder> [--chat N]`: a folder adds each file directly in it as a document titled by
 *   its file name without extension; adding the same file again replaces it. Without --chat the
 *   documents answer in every chat. Files that cannot be indexed are reported and skipped (exit 1).
 * - `search "<question>" [--chat N] [--limit K] [--json]`: best first; --json prints
 *   `[{document, section, chunk, score}]` (`document` is the title, `chunk` the section's text).
 * - `list [--chat N] [--json]`, `remove <id>`.
 */
export function registerKbCommand(program: Command): void {
  const kb = program.command('kb').description('the knowledge base answers are grounded in');
  kb.command('add')
    .description('add (or replace) a document, or every file of a folder')
    .argument('<path>', 'a Markdown, TXT, HTML, PDF or DOCX file, or a folder of them')
    .option('--chat <id>', 'the chat the documents answer in (default: every chat)', integer)
    .option('--title <title>', 'document title (single file only; default: the file name without extension)')
    .action((path: string, options: { chat?: number; title?: string }) =>
      withKnowledgeBase(async (base) => {
        const files = statSync(path).isDirectory()
          ? readdirSync(path, { withFileTypes: true }).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => join(path, e.name)).sort()
          : [path];
        let failed = 0;
        for (const file of files) {
          try {
            const added = await base.addFile(readFileSync(file), file, { chatId: options.chat ?? null, ...(files.length === 1 && options.title ? { title: options.title } : {}) });
            process.stdout.write(`added "${added.title}" (#${added.id}): ${added.chunks} sections${added.embedded ? ', embedded' : ''}\n`);
          } catch (error) {
            if (!(error instanceof KbInputError)) throw error;
            failed++;
            process.stderr.write(`skipped ${file}: ${error.message}\n`);
          }
        }
        if (failed) process.exitCode = 1;
      }),
    );
  kb.command('search')
    .description('show what retrieval finds for a question')
    .argument('<question>')
    .option('--chat <id>', 'search the documents of this chat (and those for every chat)', integer)
    .option('--limit <k>', 'results', integer, 5)
    .option('--json', 'print [{document, section, chunk, score}]')
    .action((question: string, options: { chat?: number; limit: number; json?: boolean }) =>
      withKnowledgeBase(async (base) => {
        const hits = await base.search(question, options.chat ?? null, Math.max(1, options.limit));
        if (options.json) {
          process.stdout.write(`${JSON.stringify(hits.map(searchResultOf), null, 2)}\n`);
        } else {
          for (const h of hits) process.stdout.write(`${h.score.toFixed(3)}  ${h.title}, §${h.ordinal}${h.heading ? ` (${h.heading})` : ''}: ${h.content.replace(/\s+/g, ' ').slice(0, 120)}\n`);
          if (hits.length === 0) process.stdout.write('nothing found\n');
        }
      }),
    );
  kb.command('list')
    .description('list documents')
    .option('--chat <id>', 'documents of this chat and those for every chat (default: only those for every chat)', integer)
    .option('--json', 'print JSON')
    .action((options: { chat?: number; json?: boolean }) =>
      withKnowledgeBase(async (base) => {
        const docs = await base.list(options.chat ?? null);
        if (options.json) process.stdout.write(`${JSON.stringify(docs, null, 2)}\n`);
        else for (const d of docs) process.stdout.write(`#${d.id}  ${d.title}  (${d.format}, ${d.chunkCount} sections, ${d.chatId === null ? 'every chat' : `chat ${d.chatId}`})\n`);
      }),
    );
  kb.command('remove')
    .description('remove a document')
    .argument('<id>', 'document id (see kb list)', integer)
    .action((id: number) =>
      withKnowledgeBase(async (base) => {
        if (!(await base.remove(id))) throw new Error(`no document #${id}`);
        process.stdout.write(`removed #${id}\n`);
      }),
    );
}

async function withKnowledgeBase(work: (base: KnowledgeBase) => Promise<void>): Promise<void> {
  const config = cliConfig();
  const prisma = new PrismaService({ databaseUrl: config.DATABASE_URL, poolSize: 2 });
  try {
    await work(createKnowledgeBase(prisma, config, readLlmSettings(process.env)));
  } finally {
    await prisma.$disconnect();
  }
}
