import { benchApi } from './api.bench';
import { dropBenchPrefixes } from './bench-env';
import { benchChat } from './chat.bench';
import { benchIngest } from './ingest.bench';
import { benchKb } from './kb.bench';
import { benchMemory } from './memory.bench';
import { benchStats } from './stats.bench';

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** A table row: measure, figure, ratio or target. */
type Row = [string, string, string];

/** The bench's sections, in the order they run; each measures and returns its rows. */
const SECTIONS: Record<string, () => Promise<Row[]>> = {
  ingest: async () => {
    const ingest = await benchIngest();
    return [
      ['BullMQ sequential add ceiling', `${fmt(ingest.addCeilingPerSec)} jobs/s`, ''],
      ['webhook ingest (32 in flight)', `${fmt(ingest.ingestPerSec)} updates/s`, `${fmt((100 * ingest.ingestPerSec) / ingest.addCeilingPerSec)}% of add ceiling (target ≥ 75%)`],
      [
        `webhook at fixed ${fmt(ingest.fixedRate.targetPerSec)}/s`,
        `p50 ${fmt(ingest.fixedRate.p50Ms, 1)} ms, p99 ${fmt(ingest.fixedRate.p99Ms, 1)} ms`,
        `achieved ${fmt(ingest.fixedRate.achievedPerSec)}/s, ${ingest.fixedRate.errors} errors (target p99 < 20 ms)`,
      ],
      [
        `  stalls during the fixed-rate run`,
        `gateway GC ${fmt(ingest.fixedRate.stalls.gatewayGcMs)} ms (${ingest.fixedRate.stalls.gatewayGcPausesOver10Ms} pauses > 10 ms)`,
        `longest event-loop stall: gateway ${fmt(ingest.fixedRate.stalls.gatewayLoopMaxMs, 1)} ms, load generator ${fmt(ingest.fixedRate.stalls.generatorLoopMaxMs, 1)} ms`,
      ],
    ];
  },
  stats: async () => {
    const stats = await benchStats();
    const naive16 = stats.naivePerSec['concurrency 16'];
    return [
      [`ceiling: no-op BullMQ worker (concurrency ${stats.concurrency})`, `${fmt(stats.noopPerSec)} jobs/s`, `same ${fmt(stats.jobs)} jobs, own process`],
      [
        `stats worker (Kraken, batched, concurrency ${stats.concurrency})`,
        `${fmt(stats.krakenPerSec)} messages/s`,
        `${fmt((100 * stats.krakenPerSec) / stats.noopPerSec)}% of no-op (target ≥ 80%); ${fmt(stats.krakenPerSec / naive16, 1)}× naive c=16 (target ≥ 5×)`,
      ],
      ...Object.entries(stats.naivePerSec).map(([label, perSec]): Row => [
        `${label === 'concurrency 16' ? 'ceiling: ' : ''}stats worker (naive, one INSERT, ${label})`,
        `${fmt(perSec)} messages/s`,
        `Kraken is ${fmt(stats.krakenPerSec / perSec, 1)}×`,
      ]),
    ];
  },
  chat: async () => {
    const chat = await benchChat();
    return [
      [
        `chat prompt per answer (${fmt(chat.historyMessages)} messages / 2 h)`,
        `${fmt(chat.promptTokensPerAnswer)} tokens`,
        `naive whole-history prompt ${fmt(chat.naivePromptTokens)} tokens: ${fmt(chat.naivePromptTokens / chat.promptTokensPerAnswer, 1)}× fewer (target ≥ 5×)`,
      ],
      ['chat trigger → LLM request', `p50 ${fmt(chat.overheadP50Ms, 1)} ms, p99 ${fmt(chat.overheadP99Ms, 1)} ms`, `${fmt(chat.triggers)} triggers, in-process gateway + llm-worker`],
    ];
  },
  api: async () => {
    const api = await benchApi();
    return [
      [
        'API POST /questions, instant LLM, 1 in flight',
        `p50 ${fmt(api.askSequential.p50Ms, 1)} ms, p99 ${fmt(api.askSequential.p99Ms, 1)} ms`,
        `${fmt(api.askSequential.requests)} questions (the API's own overhead)`,
      ],
      [
        `API POST /questions, instant LLM, ${fmt(api.ask.targetPerSec)}/s`,
        `p50 ${fmt(api.ask.p50Ms, 1)} ms, p99 ${fmt(api.ask.p99Ms, 1)} ms`,
        `achieved ${fmt(api.ask.achievedPerSec)}/s, ${api.ask.errors} errors (target p99 ≤ 30 ms)`,
      ],
      [
        `API GET /questions, ${fmt(api.history.users)} users × 3`,
        `p50 ${fmt(api.history.p50Ms, 1)} ms, p99 ${fmt(api.history.p99Ms, 1)} ms`,
        `at ${fmt(api.history.achievedPerSec)}/s, ${api.history.errors} errors`,
      ],
    ];
  },
  kb: async () => {
    const kb = await benchKb();
    return [
      [`KB retrieval, Bot API docs (${kb.questions} questions, full-text only)`, `recall@1 ${fmt(kb.recallAt1, 2)}, recall@5 ${fmt(kb.recallAt5, 2)}`, 'target recall@5 ≥ 0.90'],
      [`KB query at ${fmt(kb.chunks)} chunks`, `p50 ${fmt(kb.p50Ms, 1)} ms, p99 ${fmt(kb.p99Ms, 1)} ms`, `${fmt(kb.queries)} queries; recall@5 ${fmt(kb.recallAt5Large, 2)} at this size`],
    ];
  },
  memory: async () => {
    const apps = await benchMemory();
    return apps.map((a): Row => [
      `RSS of ${a.app}`,
      `${fmt(a.restMiB)} MiB at rest, ${fmt(a.loadMiB)} MiB under load`,
      `peak during ${fmt(apps[0].loadUpdates)} updates at ${fmt(apps[0].loadPerSec)}/s through the webhook`,
    ]);
  },
};

/**
 * `npm run bench`: Kraken's throughput figures, measured side by side in one run on this machine, printed
 * as a table with the ratios the issues set targets for. Needs PostgreSQL and Redis (scripts/services.sh).
 * Arguments (or BENCH_SECTIONS, comma-separated) pick sections to run, e.g. `node
 * dist/tools/bench/main.js stats memory`; none runs them all. @throws on an unknown section name
 */
async function main(): Promise<void> {
  const picked = process.argv.slice(2).length ? process.argv.slice(2) : (process.env.BENCH_SECTIONS ?? '').split(',').filter(Boolean);
  const unknown = picked.filter((name) => !(name in SECTIONS));
  if (unknown.length) throw new Error(`unknown bench section ${unknown.join(', ')} (sections: ${Object.keys(SECTIONS).join(', ')})`);
  const rows: Row[] = [];
  try {
    for (const [name, run] of Object.entries(SECTIONS)) if (!picked.length || picked.includes(name)) rows.push(...(await run()));
  } finally {
    await dropBenchPrefixes();
  }
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), 6));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write(`${line(['measure', 'figure', 'ratio'])}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${rows.map(line).join('\n')}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
