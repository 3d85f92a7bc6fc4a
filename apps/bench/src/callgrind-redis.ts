import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';

// A Redis server of a benchmark's own, run as it is or under valgrind's callgrind (which counts
// instructions, so a busy machine does not move the figures), and what its dumps say.

const run = promisify(execFile);

/**
 * Instructions of the function calls (FCALL, or EVALSHA and EVAL before the library) and of the
 * commands run inside them: callgrind names the inner, recursive call() "call'2".
 */
export function instructionsOf(annotated: string): { all: number; inner: number } {
  const count = (pattern: RegExp) => {
    let sum = 0;
    for (const m of annotated.matchAll(pattern)) sum += Number(m[1]!.replace(/,/g, ''));
    return sum;
  };
  return {
    all: count(/^\s*([\d,]+) \([^)]*\)\s+\S*:(?:fcallCommand|evalShaCommand|evalCommand) \[/gm),
    inner: count(/^\s*([\d,]+) \([^)]*\)\s+\S*:call'2 \[/gm),
  };
}

/** A Redis of the bench's own, in `dir`: it loads no dump.rdb the cwd may hold, and keeps none. */
export function startRedis(port: number, dir: string, dumpPrefix: string | null): ChildProcess {
  const redis = [
    'redis-server',
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
  ];
  const [command, ...args] = dumpPrefix
    ? [
        'valgrind',
        '--tool=callgrind',
        '--instr-atstart=no',
        `--callgrind-out-file=${dumpPrefix}.%p`,
        ...redis,
      ]
    : redis;
  const child = spawn(command!, args, { stdio: 'ignore' });
  // A missing binary ends the child with an 'error' event; connect() then reports it.
  child.once('error', () => undefined);
  return child;
}

export async function callgrind(server: ChildProcess, ...args: string[]): Promise<void> {
  await run('callgrind_control', [...args, String(server.pid)]);
}

/** The annotation of the newest callgrind dump (one per phase). */
export async function lastDump(dir: string): Promise<string> {
  const files = (await readdir(dir)).filter((f) => /^cg\.\d+\.\d+$/.test(f));
  const newest = files
    .sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()))
    .pop();
  if (!newest) throw new Error('callgrind wrote no dump');
  const { stdout } = await run('callgrind_annotate', ['--inclusive=yes', join(dir, newest)], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** Waits for the server (valgrind takes seconds to start it). */
export async function connect(redis: Redis): Promise<void> {
  // Each refused attempt is also emitted as an 'error' event: the loop below answers it.
  const quiet = () => undefined;
  redis.on('error', quiet);
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      await redis.connect();
      redis.off('error', quiet);
      return;
    } catch {
      redis.disconnect();
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(
    "the benchmark's Redis did not start (is redis-server, and valgrind for --instructions, installed?)",
  );
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise((r) => server.close(r));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

export function exited(child: ChildProcess): Promise<void> {
  // (No pid: it never started.)
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}
