#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { BotApiEmulator } from './bot-api-emulator';
import type { RecordedCall } from './emulator-types';

/**
 * Standalone Bot API emulator for the end-to-end demo and benchmarks:
 * `node dist/tools/dev/testing/bot-api-emulator/main.js --port 8081 [--host 127.0.0.1] [--log]`.
 * Prints `bot-api-emulator listening on http://<host>:<port>` once ready, then (with `--log`) one
 * JSON line per call; exits on SIGTERM/SIGINT after closing the server.
 */
async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('bot-api-emulator')
    .description('Local stand-in for https://api.telegram.org, validated against api.json (control API under /__emulator).')
    .option('--port <port>', 'TCP port (0 = random)', integer, 8081)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--log', 'print every call as one JSON line on stdout', false)
    .option('--spec <path>', 'path of api.json (default: test/fixtures/telegram-bot-api/api.json in the repository)')
    .option('--token <token>', 'only accept this bot token (default: any <id>:<secret>)')
    .option('--seed <seed>', 'seed of random fault injection', integer, 1)
    .option('--first-message-id <id>', 'first message_id of every chat', integer, 1)
    .parse(argv);
  const options = program.opts<{
    port: number;
    host: string;
    log: boolean;
    spec?: string;
    token?: string;
    seed: number;
    firstMessageId: number;
  }>();

  const emulator = await BotApiEmulator.create({
    port: options.port,
    host: options.host,
    specPath: options.spec,
    token: options.token,
    seed: options.seed,
    firstMessageId: options.firstMessageId,
  });
  if (options.log) emulator.onCall((call) => process.stdout.write(`${JSON.stringify(logLine(call))}\n`));
  process.stdout.write(`bot-api-emulator listening on ${emulator.apiRoot}\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`bot-api-emulator: ${signal}, shutting down\n`);
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** The `--log` line: call identity, parameters, file sizes (not bytes) and outcome. */
function logLine(call: RecordedCall): Record<string, unknown> {
  const body = call.response.body;
  return {
    seq: call.seq,
    at: new Date(call.at).toISOString(),
    method: call.method,
    params: call.params,
    files: Object.fromEntries(
      Object.entries(call.files).map(([name, file]) => [name, { filename: file.filename, mimeType: file.mimeType, size: file.data.length }]),
    ),
    status: call.response.status,
    ...(body.ok ? {} : { error: body.description }),
    ...(call.injected ? { injected: true } : {}),
    ...(call.source !== 'http' ? { source: call.source } : {}),
  };
}

function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new InvalidArgumentError('not an integer');
  return parsed;
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(`bot-api-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
