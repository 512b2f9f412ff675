import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type APP_ENTRY,
  type AppProcess,
  BotApiEmulator,
  createTestDatabase,
  FakeLlmServer,
  freePort,
  type RecordedCall,
  ROOT,
  startApp,
  type TestDatabase,
} from '@kraken/testing';
import { runCli } from '../support/processes';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';

const GUIDE = readFileSync(join(ROOT, 'docs', 'setup.md'), 'utf8');

/** The guide's minimal `.env`: the fenced `dotenv` block under "A minimal `.env`". */
function minimalEnv(): string {
  const section = GUIDE.slice(GUIDE.indexOf('## 6. A minimal `.env`'));
  const block = /```dotenv\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('docs/setup.md has no ```dotenv block in "A minimal .env"');
  return block[1];
}

/** `NAME=value` lines of a dotenv text (comments and blank lines dropped). */
const variables = (text: string) =>
  Object.fromEntries(text.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

/**
 * Issue 9: docs/setup.md walked through against the Bot API emulator, as far as a machine can. Its
 * minimal `.env` is written, unchanged, into an empty folder (with `prompts/`) that the apps and the CLI
 * run in; the environment only points them at this machine's test services (database, Redis prefix,
 * the emulator as Telegram, a fake language model) and free ports, as the guide says to set ports per
 * process. Then: `kraken migrate`, the four apps, `/health/ready`, adding the bot to the three chats,
 * «Кракен, привет», `kraken chats` and `kraken stats`.
 */
describe('docs/setup.md, walked through', () => {
  const emulator = new BotApiEmulator({ bot: { username: 'KrakenSetupBot', first_name: 'Кракен' } });
  const llm = new FakeLlmServer();
  const folder = mkdtempSync(join(tmpdir(), 'kraken-setup-'));
  const apps: AppProcess[] = [];
  // The bot's four apps (the HTTP API is not part of the setup guide).
  const ports: Record<Exclude<keyof typeof APP_ENTRY, 'api'>, number> = { gateway: 0, 'stats-worker': 0, 'llm-worker': 0, 'digest-worker': 0 };
  const env = minimalEnv();
  const fromGuide = variables(env);
  const group = { id: Number(fromGuide.DIGEST_CHATS), type: 'supergroup', title: 'Клуб любителей кальмаров' };
  let db: TestDatabase;
  let services: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    await llm.start();
    services = {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: uniquePrefix('ksetup'),
      TELEGRAM_API_ROOT: await emulator.start(),
      LLM_OPENAI_BASE_URL: llm.baseUrl,
      LLM_OPENAI_API_KEY: 'sk-test',
    };
    writeFileSync(join(folder, '.env'), env);
    symlinkSync(join(ROOT, 'prompts'), join(folder, 'prompts'));
    symlinkSync(join(ROOT, 'config'), join(folder, 'config'));
    for (const name of Object.keys(ports) as Array<keyof typeof ports>) ports[name] = await freePort();
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await emulator.stop();
    await llm.stop();
    await dropPrefix(services.QUEUE_PREFIX).catch(() => undefined);
    await db?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  test('the minimal .env is complete: polling mode, the token, the services and the chat ids', () => {
    expect(Object.keys(fromGuide).sort()).toEqual(
      ['BOT_TOKEN', 'DATABASE_URL', 'DIGEST_CHATS', 'MEME_CHANNEL_ID', 'MEME_MODERATION_CHAT_ID', 'REDIS_URL', 'TELEGRAM_MODE'].sort(),
    );
    expect(fromGuide.TELEGRAM_MODE).toBe('polling');
    // The ids it shows are those of the guide's `kraken chats` example.
    for (const id of [fromGuide.DIGEST_CHATS, fromGuide.MEME_MODERATION_CHAT_ID, fromGuide.MEME_CHANNEL_ID]) expect(GUIDE).toMatch(new RegExp(`\\n${id} +(supergroup|channel) `));
  });

  test('kraken migrate, then the four apps start from it and report ready', async () => {
    const migrated = await runCli(['migrate'], services, { cwd: folder });
    expect({ code: migrated.code, stderr: migrated.stderr }).toEqual({ code: 0, stderr: '' });
    // The four apps start side by side; each is kept (for afterAll) even when another one fails to start.
    const started = await Promise.allSettled(
      (Object.keys(ports) as Array<keyof typeof ports>).map((name) => {
        const port: Record<string, string> = name === 'gateway' ? { PORT: String(ports[name]), HOST: '127.0.0.1' } : { HEALTH_PORT: String(ports[name]) };
        return startApp(name, { ...services, ...port }, { timeoutMs: 60_000, cwd: folder }).then((app) => apps.push(app));
      }),
    );
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    for (const port of Object.values(ports)) {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect({ port, status: response.status }).toEqual({ port, status: 200 });
      expect(await response.json()).toMatchObject({ status: 'ok' });
    }
    // Polling, as the .env says: no webhook is registered.
    expect(emulator.calls('getMe').length).toBeGreaterThan(0);
    expect(emulator.calls('setWebhook')).toHaveLength(0);
  });

  test('added to the three chats it says hello in the group; «Кракен, привет» is answered', async () => {
    const admin = { id: 777, is_bot: false, first_name: 'Гоша' };
    const botMember = (status: string, rights: Record<string, unknown> = {}) => ({ user: { id: 123456789, is_bot: true, first_name: 'Кракен', username: 'KrakenSetupBot' }, status, ...rights });
    const now = () => Math.floor(Date.now() / 1000);
    const added = (chat: Record<string, unknown>, after: Record<string, unknown>) =>
      emulator.pushUpdate({ my_chat_member: { chat, from: admin, date: now(), old_chat_member: botMember('left'), new_chat_member: after } });
    added(group, botMember('member'));
    added({ id: Number(fromGuide.MEME_MODERATION_CHAT_ID), type: 'supergroup', title: 'Модерация' }, botMember('member'));
    added({ id: Number(fromGuide.MEME_CHANNEL_ID), type: 'channel', title: 'Кальмары: лучшее' }, botMember('administrator', { can_post_messages: true }));
    const toGroup = (c: RecordedCall) => c.method === 'sendMessage' && Number(c.params.chat_id) === group.id && c.response.status === 200;
    const [hello] = await emulator.waitFor(toGroup, { timeoutMs: 20_000 });
    expect(String(hello.params.text)).toMatch(/^Привет! Я Кракен 🐙/);
    expect(String(hello.params.text)).not.toContain('режим приватности'); // privacy mode is off, as step 2 says

    emulator.pushUpdate({ message: { message_id: 10, date: now(), chat: group, from: { id: 778, is_bot: false, first_name: 'Лена' }, text: 'Кракен, привет' } });
    const [, answer] = await emulator.waitFor(toGroup, { count: 2, timeoutMs: 20_000 });
    expect(answer.params.reply_parameters).toMatchObject({ message_id: 10 });
    expect(llm.requests).toHaveLength(1);
  });

  test('kraken chats lists the three chats with the ids of the .env; kraken stats counts the message', async () => {
    let chats: Array<{ id: number; type: string; title: string; messages: number }> = [];
    for (let i = 0; i < 100 && !(chats.length === 3 && chats.some((c) => c.messages === 1)); i++) {
      const listed = await runCli(['chats', '--json'], services, { cwd: folder });
      expect(listed.code).toBe(0);
      chats = JSON.parse(listed.stdout);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(chats.map((c) => [String(c.id), c.type, c.messages])).toEqual([
      [fromGuide.DIGEST_CHATS, 'supergroup', 1],
      [fromGuide.MEME_MODERATION_CHAT_ID, 'supergroup', 0],
      [fromGuide.MEME_CHANNEL_ID, 'channel', 0],
    ]);
    const table = await runCli(['chats'], services, { cwd: folder });
    expect(table.stdout.split('\n')[0]).toMatch(/^ID +TYPE +MESSAGES +LAST MESSAGE +TITLE$/);
    expect(table.stdout).toContain('Клуб любителей кальмаров');

    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit' }).format(new Date());
    const stats = await runCli(['stats', '--chat', fromGuide.DIGEST_CHATS, '--month', month, '--json'], services, { cwd: folder });
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ chatId: group.id, messages: 1, activeParticipants: 1 });
  });
});
