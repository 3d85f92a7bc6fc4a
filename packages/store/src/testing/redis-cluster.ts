import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectRedis } from '../redis/connect-redis.js';
import type { RedisClient } from '../redis/lua-runner.js';
import { scratchServerArgs } from './scratch-redis.js';

/**
 * A three-master Redis Cluster on loopback, started from the machine's redis-server for one
 * test file and torn down after it: real cluster routing, real CROSSSLOT checks. Every node
 * wants a password, as a production cluster would: a client that reaches the nodes it
 * discovers without the URL's credentials fails here.
 */
export interface ClusterFixture {
  readonly nodes: { host: string; port: number }[];
  /** `redis://:password@…` of the first node, as REDIS_URL would be set. */
  readonly url: string;
  /** A client opened the way a worker opens one (`connectRedis`). */
  client(): RedisClient;
  stop(): Promise<void>;
}

const PASSWORD = 'cluster-test-pass';
const AUTH = ['-a', PASSWORD, '--no-auth-warning'];

/**
 * Starts the cluster on random ports, trying again on fresh ones when a node does not come up
 * (a port, or its cluster bus port 10,000 above, taken by another process).
 */
export async function startRedisCluster(): Promise<ClusterFixture> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce();
    } catch (err) {
      if (attempt >= 3 || !(err instanceof NodeDidNotStart)) throw err;
    }
  }
}

class NodeDidNotStart extends Error {
  override readonly name = 'NodeDidNotStart';
}

async function startOnce(): Promise<ClusterFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'hamdam-cluster-'));
  // Nodes on 10000-19999 and their bus ports on 20000-29999: both below the range the kernel
  // hands out for outgoing connections (32768 and up), which tests here use by the thousand.
  const base = 10_000 + Math.floor(Math.random() * 9_997);
  const ports = [base, base + 1, base + 2];
  const servers: ChildProcess[] = ports.map((port) =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        ...scratchServerArgs(dir),
        '--requirepass',
        PASSWORD,
        '--masterauth',
        PASSWORD,
      ],
      { stdio: 'ignore' },
    ),
  );
  const stop = async () => {
    for (const s of servers) s.kill('SIGTERM');
    await Promise.all(
      servers.filter((s) => s.exitCode === null).map((s) => new Promise((r) => s.once('exit', r))),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) await waitForPing(port);
    const created = spawnSync(
      'redis-cli',
      [...AUTH, '--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-yes'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (created.status !== 0)
      throw new Error(`cluster create failed: ${created.stdout}${created.stderr}`);
    for (let i = 0; i < 100; i++) {
      const info = spawnSync('redis-cli', [...AUTH, '-p', String(base), 'cluster', 'info'], {
        encoding: 'utf8',
      });
      if (info.stdout.includes('cluster_state:ok')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const nodes = ports.map((port) => ({ host: '127.0.0.1', port }));
  const url = `redis://:${PASSWORD}@127.0.0.1:${base}`;
  const client = () => connectRedis({ url, clusterNodes: nodes, onError: () => undefined });
  return { nodes, url, client, stop };
}

async function waitForPing(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = spawnSync('redis-cli', [...AUTH, '-p', String(port), 'ping'], { encoding: 'utf8' });
    if (r.stdout.trim() === 'PONG') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new NodeDidNotStart(`redis-server on ${port} did not start`);
}
