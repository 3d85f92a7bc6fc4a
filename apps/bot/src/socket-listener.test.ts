import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listenOnSocket, stopTakingRequests, workerSocketPath } from './socket-listener.js';

/** A POST over the socket, as nginx sends one; resolves with the status and body. */
function post(socketPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/hook', method: 'POST' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

test('a worker takes requests on its socket, replacing a file a dead one left', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamdam-sock-'));
  try {
    const path = workerSocketPath(dir, 3);
    assert.equal(path, join(dir, 'worker-3.sock'));
    writeFileSync(path, 'left by a worker that died');
    const server = await listenOnSocket((_req, res) => res.end('answered'), path);
    assert.equal(statSync(path).mode & 0o777, 0o666, 'the reach of the loopback port');
    assert.deepEqual(await post(path), { status: 200, body: 'answered' });
    await stopTakingRequests(server);
    assert.equal(existsSync(path), false, 'the socket goes with its server');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stopping the socket lets the request in flight finish, and refuses new ones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamdam-sock-'));
  try {
    const path = workerSocketPath(dir, 0);
    let release: (() => void) | null = null;
    const server = await listenOnSocket((_req, res) => {
      release = () => res.end('late but whole');
    }, path);
    const inFlight = post(path);
    while (!release) await new Promise((r) => setTimeout(r, 5));
    const stopped = stopTakingRequests(server);
    await assert.rejects(post(path), 'no new connection once stopping');
    (release as () => void)();
    assert.deepEqual(await inFlight, { status: 200, body: 'late but whole' });
    await stopped;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
