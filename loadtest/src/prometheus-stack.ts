// The monitoring side of `npm run metrics:check`: Debian's exporters and a Prometheus server,
// each on a free loopback port, scraping a test topology.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePortRange, TEST_DATABASE_URL, waitUntil, type Topology } from '@hamdam/bot/testing';

export interface Exporter {
  readonly job: string;
  readonly target: string;
  readonly child: ReturnType<typeof spawn>;
}

/**
 * Debian's Redis, Postgres and nginx exporters, each on a free loopback port: Redis is the
 * run's own (with a maxmemory, as production sets it), Postgres the test server, nginx the
 * topology's stub_status.
 */
export async function startExporters(
  redisUrl: string,
  nginxStatusPort: number,
): Promise<Exporter[]> {
  const exporters: Exporter[] = [];
  const start = async (
    job: string,
    command: string,
    args: (port: number) => string[],
    env = {},
  ) => {
    const port = await freePortRange(1);
    const child = spawn(command, args(port), {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    exporters.push({ job, target: `127.0.0.1:${port}`, child });
  };
  await start('redis', 'prometheus-redis-exporter', (port) => [
    `-redis.addr=${redisUrl}`,
    `-web.listen-address=127.0.0.1:${port}`,
  ]);
  const dsn = new URL(TEST_DATABASE_URL);
  dsn.searchParams.set('sslmode', 'disable');
  await start(
    'postgres',
    'prometheus-postgres-exporter',
    (port) => [`--web.listen-address=127.0.0.1:${port}`],
    { DATA_SOURCE_NAME: dsn.toString() },
  );
  await start('nginx', 'prometheus-nginx-exporter', (port) => [
    `-nginx.scrape-uri=http://127.0.0.1:${nginxStatusPort}/stub_status`,
    `-web.listen-address=127.0.0.1:${port}`,
  ]);
  for (const e of exporters) {
    await waitUntil(
      async () => (await fetch(`http://${e.target}/metrics`).catch(() => null))?.ok === true,
      20_000,
      `the ${e.job} exporter did not start`,
    );
  }
  return exporters;
}

export async function startPrometheus(
  topology: Topology,
  exporters: readonly Exporter[],
  dir: string,
) {
  const port = await freePortRange(1);
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global: { scrape_interval: 2s, scrape_timeout: 1s }',
      'scrape_configs:',
      '  - job_name: hamdam',
      '    static_configs:',
      ...[0, 1].map(
        (i) =>
          `      - { targets: ['${new URL(topology.workerUrl(i)).host}'], labels: { worker: '${i}' } }`,
      ),
      ...exporters.flatMap((e) => [
        `  - job_name: ${e.job}`,
        `    static_configs: [{ targets: ['${e.target}'] }]`,
      ]),
      '',
    ].join('\n'),
  );
  mkdirSync(join(dir, 'data'));
  const child = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    async () => (await fetch(`${url}/-/ready`).catch(() => null))?.ok === true,
    30_000,
    'Prometheus did not start',
  );
  return { url, child };
}
