import { parseArgs } from 'node:util';
import { waitForQueueIdle } from '@kraken/testing';
import { askKraken, publishDemoDigest, type DemoTarget } from './demo-digest';

/** The demo's question to Kraken (its name first, so it triggers an answer). */
const QUESTION = 'Кракен, о чём чаще всего говорят в этом чате?';

/**
 * The digest part of `scripts/demo.sh`, against the deployment the script started:
 * `node dist/tools/dev/demo/main.js --emulator=URL --webhook=URL --secret=S --group=ID --moderation=ID
 * --channel=ID --month=YYYY-MM --out=DIR [--ask]` (`=` keeps negative chat ids values, not options). Publishes the month's digest through the
 * digest-worker (see publishDemoDigest), prints the channel post as the channel shows it and the
 * chart's path, and with `--ask` asks Kraken one question in the group and prints the answer.
 * Reads REDIS_URL and QUEUE_PREFIX (to wait for the stats queue). Exits 1 with the reason on failure.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      emulator: { type: 'string' },
      webhook: { type: 'string' },
      secret: { type: 'string' },
      group: { type: 'string' },
      moderation: { type: 'string' },
      channel: { type: 'string' },
      month: { type: 'string' },
      out: { type: 'string' },
      ask: { type: 'boolean', default: false },
    },
  });
  const required = (name: keyof typeof values): string => {
    const value = values[name];
    if (typeof value !== 'string' || value === '') throw new Error(`--${name} is required`);
    return value;
  };
  const target: DemoTarget = {
    emulatorRoot: required('emulator'),
    webhook: required('webhook'),
    secret: required('secret'),
    groupId: Number(required('group')),
    moderationChatId: Number(required('moderation')),
    channelId: Number(required('channel')),
  };
  const month = required('month');
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = process.env.QUEUE_PREFIX ?? 'bull';

  process.stdout.write(`demo: three members submit memes, the admin approves them, the channel reacts; then /digest publish ${month}\n`);
  const digest = await publishDemoDigest(target, month, required('out'), () => waitForQueueIdle(redisUrl, prefix, 'stats', 60_000));
  const rule = '─'.repeat(72);
  process.stdout.write(
    [
      `demo: the digest as the channel shows it (a media group: the chart and ${digest.memes} memes, then the post):`,
      rule,
      ...digest.album,
      rule,
      digest.texts.join(`\n${rule}\n`),
      rule,
      `demo: chart PNG: ${digest.chartPath}`,
      '',
    ].join('\n'),
  );
  if (values.ask) {
    process.stdout.write(`demo: asking Kraken in the group: ${QUESTION}\n`);
    const answer = await askKraken(target, QUESTION);
    process.stdout.write(`${rule}\n${answer}\n${rule}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
