import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRODUCTION_NGINX, renderNginx } from './nginx-config.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

test('the committed nginx.conf is what the renderer makes for the production host', () => {
  assert.equal(readFileSync(join(root, 'nginx.conf'), 'utf8'), renderNginx(PRODUCTION_NGINX));
});

test('nginx accepts the rendered configuration with the stub_status server included', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamdam-nginx-t-'));
  try {
    mkdirSync(join(dir, 'temp'));
    const conf = join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      renderNginx({
        ...PRODUCTION_NGINX,
        tls: null,
        loopback: { address: '127.0.0.1:18080' },
        pidFile: join(dir, 'nginx.pid'),
        tempDir: join(dir, 'temp'),
        includes: [join(root, 'infra/nginx/status.conf')],
      }),
    );
    const rendered = readFileSync(conf, 'utf8');
    assert.match(rendered, /include .*infra\/nginx\/status\.conf;/);
    // -t parses everything, includes too, and exits non-zero on any error.
    execFileSync('nginx', ['-t', '-q', '-p', dir, '-c', conf], { stdio: 'pipe' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with HTTP_SOCKET_DIR nginx reaches every worker on its Unix socket, and accepts it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamdam-nginx-t-'));
  try {
    mkdirSync(join(dir, 'temp'));
    const conf = join(dir, 'nginx.conf');
    const rendered = renderNginx({
      ...PRODUCTION_NGINX,
      workers: 3,
      upstreamSocketDir: '/run/hamdam',
      tls: null,
      loopback: { address: '127.0.0.1:18080' },
      pidFile: join(dir, 'nginx.pid'),
      tempDir: join(dir, 'temp'),
      includes: [],
    });
    const servers = [...rendered.matchAll(/^ {4}server (\S+) /gm)].map(([, address]) => address);
    assert.deepEqual(servers, [
      'unix:/run/hamdam/worker-0.sock',
      'unix:/run/hamdam/worker-1.sock',
      'unix:/run/hamdam/worker-2.sock',
    ]);
    writeFileSync(conf, rendered);
    execFileSync('nginx', ['-t', '-q', '-p', dir, '-c', conf], { stdio: 'pipe' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
