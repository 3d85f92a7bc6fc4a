import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';

/**
 * A three-master Redis Cluster on loopback, started from the machine's redis-server for one
 * test file and torn down after it: real cluster routing, real CROSSSLOT checks.
 */
export interface ClusterFixture {
  readonly nodes: { host: string; port: number }[];
  client(): Cluster;
  stop(): Promise<void>;
}

export async function startRedisCluster(): Promise<ClusterFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'hamdam-cluster-'));
  const base = 30_000 + Math.floor(Math.random() * 20_000);
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
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
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
      ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-yes'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (created.status !== 0)
      throw new Error(`cluster create failed: ${created.stdout}${created.stderr}`);
    for (let i = 0; i < 100; i++) {
      const info = spawnSync('redis-cli', ['-p', String(base), 'cluster', 'info'], {
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
  return { nodes, client: () => new Cluster(nodes), stop };
}

async function waitForPing(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
    if (r.stdout.trim() === 'PONG') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server on ${port} did not start`);
}
