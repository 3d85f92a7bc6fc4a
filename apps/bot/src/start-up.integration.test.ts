import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropRedisPrefix, says, scratchDatabase, TEST_REDIS_URL } from './testing/stack.js';
import { freePortRange, waitUntil } from './testing/topology.js';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

/** `npm start`'s entry with only these variables (and PATH), its output collected. */
function start(env: Record<string, string>): { child: ChildProcess; out: () => string } {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return { child, out: () => out };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Forwards each request to the next worker in turn: a stand-in for nginx at PUBLIC_URL. */
function roundRobin(ports: readonly number[]): Promise<{ server: Server; url: string }> {
  let next = 0;
  const server = createServer((req, res) => {
    const port = ports[next++ % ports.length]!;
    const upstream = request(
      { host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${address.port}` });
    }),
  );
}

describe('start-up', () => {
  it('refuses Redis with several workers and no DATABASE_URL, saying why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hamdam-startup-'));
    const { child, out } = start({ REDIS_URL: TEST_REDIS_URL, WORKERS: '2', DATA_DIR: dir });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
    assert.equal(code, 1);
    assert.match(out(), /REDIS_URL with 2 workers needs DATABASE_URL/);
  });

  it('two workers and the emulator, no secret set: every worker takes the updates; the banner lists what answers', async () => {
    const database = await scratchDatabase();
    const prefix = `test:${randomBytes(5).toString('hex')}:{h}:`;
    const port = await freePortRange(2);
    const proxy = await roundRobin([port, port + 1]);
    const emulatorPort = await freePortRange(1);
    const dir = mkdtempSync(join(tmpdir(), 'hamdam-startup-'));
    const { child, out } = start({
      WORKERS: '2',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      DATABASE_URL: database.url,
      PORT: String(port),
      EMULATOR_PORT: String(emulatorPort),
      PUBLIC_URL: proxy.url,
      DATA_DIR: dir,
    });
    try {
      await waitUntil(async () => out().includes('Stop with Ctrl+C'), 60_000, 'no banner');
      const banner = out();
      assert.match(banner, new RegExp(`Webhook: +${proxy.url}/telegram/webhook`));
      const health = [...banner.matchAll(/(http:\/\/\S+)\/healthz, \/readyz, \/metrics/g)].map(
        (m) => m[1],
      );
      assert.deepEqual(health, [`http://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`]);
      for (const origin of health) assert.equal((await fetch(`${origin}/healthz`)).status, 200);

      // Four users, their /start spread over both workers by the proxy: each is answered.
      const control = `http://127.0.0.1:${emulatorPort}/control`;
      const post = (path: string, body: unknown) =>
        fetch(`${control}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then((r) => r.json() as Promise<{ id: number }>);
      const users = [];
      for (let i = 0; i < 4; i++) users.push((await post('/users', { first_name: `U${i}` })).id);
      for (const id of users) await post(`/users/${id}/messages`, { text: '/start' });
      const asked = says('onboarding.language');
      for (const id of users) {
        await waitUntil(
          async () => {
            const chat = (await (await fetch(`${control}/users/${id}/chat`)).json()) as {
              messages: Parameters<typeof asked>[0][];
            };
            return chat.messages.some(asked);
          },
          10_000,
          `user ${id} got no answer`,
        );
      }
    } finally {
      await stop(child);
      proxy.server.close();
      await database.drop();
      await dropRedisPrefix(prefix);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
