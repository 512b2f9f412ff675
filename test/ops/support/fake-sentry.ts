import { createServer, type Server } from 'node:http';

/**
 * A stand-in for Sentry's ingestion endpoint (https://develop.sentry.dev/sdk/data-model/envelopes/):
 * accepts `POST /api/<project>/envelope/` and keeps each envelope body as text.
 */
export class FakeSentry {
  envelopes: string[] = [];
  private server: Server | undefined;

  /** Starts on a free port; resolves with the DSN pointing at it. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method === 'POST' && /\/api\/\d+\/envelope\/?/.test(req.url ?? '')) this.envelopes.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    return `http://publickey@127.0.0.1:${port}/1`;
  }

  /** Waits until an envelope containing `text` arrived. @throws Error after `timeoutMs`. */
  async waitFor(text: string, timeoutMs = 10_000): Promise<string> {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      const found = this.envelopes.find((e) => e.includes(text));
      if (found) return found;
    }
    throw new Error(`no Sentry envelope containing "${text}" within ${timeoutMs} ms (${this.envelopes.length} received)`);
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
