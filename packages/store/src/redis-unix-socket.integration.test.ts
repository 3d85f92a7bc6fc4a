import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectRedis } from './redis/connect-redis.js';
import { UNPACED, finder, onboard } from './contracts/kit.js';
import { openRedisStateStore } from './open-state-store.js';
import { scratchServerArgs } from './testing/scratch-redis.js';

// REDIS_URL=unix:///path: the store on a Redis of its own that listens on a Unix socket only,
// with a password, as the bot opens it.
test('the store runs on a Redis reached by its Unix socket, with its password', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'hamdam-redis-unix-'));
  const socket = join(dir, 'redis.sock');
  const server = spawn(
    'redis-server',
    [
      '--port',
      '0',
      '--unixsocket',
      socket,
      '--unixsocketperm',
      '700',
      '--requirepass',
      'p@ss/word',
      ...scratchServerArgs(dir),
    ],
    { stdio: 'ignore' },
  );
  t.after(async () => {
    server.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });
  for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(existsSync(socket), 'redis-server listens on the socket');

  const errors: string[] = [];
  const wrong = connectRedis({
    url: `unix://default:wrong@localhost${socket}`,
    clusterNodes: [],
    onError: (m) => errors.push(m),
  });
  await assert.rejects(wrong.ping(), /WRONGPASS|invalid/i, 'a wrong password is refused');
  wrong.disconnect();

  const client = connectRedis({
    url: `unix://default:${encodeURIComponent('p@ss/word')}@localhost${socket}`,
    clusterNodes: [],
    onError: (m) => errors.push(m),
  });
  const store = openRedisStateStore(client, { prefix: 'unix:{h}:', limits: UNPACED });
  try {
    await onboard(store, 1, { gender: 'f' });
    await onboard(store, 2, { gender: 'm' });
    const find = finder(store);
    assert.equal((await find(1)).kind, 'queued');
    const two = await find(2);
    assert.equal(two.kind === 'matched' && two.partner, 1);
    assert.equal((await store.profiles.view(1)).status, 'chatting');
  } finally {
    await store.close();
  }
  assert.ok(
    errors.every((m) => !m.includes('p@ss/word') && !m.includes('wrong')),
    'no error carries a password',
  );
});
