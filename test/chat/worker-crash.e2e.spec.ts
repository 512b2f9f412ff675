import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '@kraken/testing';
import { ChatHarness } from './chat-harness';

/** Private build of the apps (never the shared dist/, which other engineers' tests use). */
const OUT_DIR = '/tmp/kraken-llm-dist';
const anna = { id: 1101, first_name: 'Anna' };

/** Compiles the apps into OUT_DIR (tsc + tsc-alias, as `npm run build` does, without wiping dist/). */
function compile(): void {
  const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);
  execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json', '--outDir', OUT_DIR], { cwd: ROOT, stdio: 'pipe' });
  execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json', '--outDir', OUT_DIR], { cwd: ROOT, stdio: 'pipe' });
}

/** Spawns the compiled llm-worker and resolves once it logged "llm worker started". */
async function startWorker(env: Record<string, string>, logs: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(OUT_DIR, 'apps', 'llm-worker', 'src', 'main.js')], {
    cwd: ROOT,
    // NODE_PATH: the build lives outside the repository, its packages do not.
    env: { PATH: process.env.PATH ?? '', NODE_PATH: join(ROOT, 'node_modules'), ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`llm-worker not ready:\n${logs.join('\n').slice(-3000)}`)), 30_000);
    const onData = (chunk: Buffer) => {
      logs.push(...chunk.toString().split('\n').filter(Boolean));
      if (logs.some((line) => line.includes('llm worker started'))) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`llm-worker exited with ${code}:\n${logs.join('\n').slice(-3000)}`)));
  });
  return child;
}

const killed = (child: ChildProcess) => new Promise<void>((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) return resolve();
  child.once('exit', () => resolve());
  child.kill('SIGKILL');
});

describe('SIGKILL of the llm-worker during a job', () => {
  const h = new ChatHarness();
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    compile();
    await h.start({ worker: false, env: { LLM_WORKER_LOCK_MS: '1500' } });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(children.map(killed));
    await h.stop();
  });

  it('gives exactly one reply after the restart', async () => {
    const logs: string[] = [];
    children.push(await startWorker(h.env, logs));
    h.llm().script({ text: 'Первый ответ, который никто не увидит', delayMs: 2000 }, { text: 'Ответ после перезапуска' });
    const chat = { id: -6001 };
    const ask = await h.send(chat, anna, 'Кракен, переживёшь падение?');
    await h.llm().waitForRequests(1, 10_000);
    await killed(children[0]);

    children.push(await startWorker(h.env, logs));
    const [reply] = await h.waitForReplies(chat.id, ask.message_id, 1, 20_000);
    expect(reply.params.text).toBe('Ответ после перезапуска');
    await h.idle();
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.emulator.calls('sendMessage').filter((c) => Number(c.params.chat_id) === chat.id && c.response.status === 200)).toHaveLength(1);
    expect(h.llm().requests).toHaveLength(2);
  }, 60_000);

  it('after the answer was stored and its send was held by a 429: the same text, sent once, no second LLM call', async () => {
    const logs: string[] = [];
    const chat = { id: -6002 };
    h.llm().reset();
    h.llm().script({ text: 'Единственный ответ' });
    h.emulator.injectFailure({ method: 'sendMessage', chatId: chat.id, errorCode: 429, retryAfter: 3 });
    const ask = await h.send(chat, anna, 'Кракен, а так переживёшь?');
    await h.emulator.waitFor((call) => call.method === 'sendMessage' && Number(call.params.chat_id) === chat.id, { timeoutMs: 10_000 });
    await killed(children.at(-1)!);
    children.push(await startWorker(h.env, logs));
    const [reply] = await h.waitForReplies(chat.id, ask.message_id, 1, 20_000);
    expect(reply.params.text).toBe('Единственный ответ');
    await h.idle();
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.emulator.calls('sendMessage').filter((c) => Number(c.params.chat_id) === chat.id && c.response.status === 200)).toHaveLength(1);
    expect(h.llm().requests).toHaveLength(1);
  }, 60_000);
});
