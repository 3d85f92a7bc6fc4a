import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root, from apps/emulator/dist/testing. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface RunningBot {
  readonly playgroundUrl: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

// Settings that would point the bot away from its embedded default; the test runs it the
// way `npm start` runs with nothing configured.
const CONFIGURING = [
  'BOT_TOKEN',
  'BOT_API_ROOT',
  'WEBHOOK_SECRET',
  'REDIS_URL',
  'REDIS_CLUSTER_NODES',
  'DATABASE_URL',
  'WORKERS',
  'PUBLIC_URL',
];

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Starts `node apps/bot/dist/main.js` with only EMULATOR_PORT, PORT and DATA_DIR set (free
 * ports, a temporary data directory) and resolves once it prints the playground's address.
 */
export async function startBot(timeoutMs = 60_000): Promise<RunningBot> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hamdam-playground-'));
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CONFIGURING) delete env[name];
  Object.assign(env, {
    EMULATOR_PORT: String(await freePort()),
    // The worker's own port: the default 3000 may be taken on a shared machine.
    PORT: String(await freePort()),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  });
  const child = spawn(process.execPath, [join(REPO_ROOT, 'apps/bot/dist/main.js')], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const stop = async (): Promise<void> => {
    await terminate(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const playgroundUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no playground address within ${timeoutMs} ms:\n${output}`)),
        timeoutMs,
      );
      const look = (): void => {
        const match = /Playground:\s+(http:\/\/\S+?)\/?\s/.exec(output);
        if (match?.[1] === undefined) return;
        clearTimeout(timer);
        resolve(match[1]);
      };
      child.stdout.on('data', look);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the bot exited with ${String(code)} before it was ready:\n${output}`));
      });
    });
    return { playgroundUrl, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
