import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createEmulator } from '@hamdam/emulator';
import { EMULATED_TOKEN, freePortRange, waitUntil } from './testing/topology.js';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

/**
 * Starts `npm start`'s entry with a module-resolution hook that lists every module of the
 * emulator package it loads, waits for a worker to answer /healthz, stops it, and returns the
 * list.
 */
async function emulatorModulesLoaded(env: Record<string, string>, port: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hamdam-entry-'));
  const log = join(dir, 'loaded.txt');
  writeFileSync(log, '');
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
let log;
export async function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.includes('/apps/emulator/')) appendFileSync(log, result.url + '\\n');
  return result;
}`,
  );
  writeFileSync(
    join(dir, 'register.mjs'),
    `import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)}, { data: { log: ${JSON.stringify(log)} } });`,
  );
  const child = spawn(process.execPath, ['--import', join(dir, 'register.mjs'), MAIN], {
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'silent', DATA_DIR: dir, ...env },
    stdio: 'ignore',
  });
  try {
    await waitUntil(
      async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok === true,
      30_000,
      'the worker did not come up',
    );
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  const loaded = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  rmSync(dir, { recursive: true, force: true });
  return loaded;
}

test('a start with a real token never loads the emulator; the embedded default does', async () => {
  const emulator = createEmulator({ token: EMULATED_TOKEN });
  const apiRoot = await emulator.listen();
  try {
    const [port, emulatorPort] = [await freePortRange(1), await freePortRange(1)];
    const production = await emulatorModulesLoaded(
      {
        BOT_TOKEN: EMULATED_TOKEN,
        WEBHOOK_SECRET: 'entry-test-secret',
        BOT_API_ROOT: apiRoot,
        PORT: String(port),
      },
      port,
    );
    assert.deepEqual(production, [], 'no module of the emulator was loaded');
    const embedded = await emulatorModulesLoaded(
      { PORT: String(port), EMULATOR_PORT: String(emulatorPort) },
      port,
    );
    assert.ok(embedded.length > 0, 'the embedded default loads the emulator');
  } finally {
    await emulator.close();
  }
});
