import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { Redis } from 'ioredis';
import type { openRedisStateStore } from '@hamdam/store';
import {
  callgrind,
  connect,
  exited,
  freePort,
  instructionsOf,
  lastDump,
  startRedis,
} from './callgrind-redis.js';
import { runWorkload, type Workload } from './lua-workload.js';

/**
 * What the store's Lua costs Redis per call, function by function, over a fixed workload
 * (lua-workload.ts) on a Redis server of its own: from INFO commandstats, the time of each
 * function call less the time of the commands it ran (the Lua's own time, as the load test's
 * report counts it). With --instructions, Redis runs under valgrind's callgrind and the same
 * split is counted in instructions, which a busy machine does not change: the measure to
 * compare two checkouts by (--store runs the same workload against another checkout's store).
 */
const USAGE = `usage: npm run bench:lua -- [options]
  --users N          users of the workload (default 400)
  --messages N       messages each user sends in their chat (default 4)
  --settle-limit N   chats the dispatcher settles per call (default 5)
  --instructions     run Redis under valgrind (callgrind) and count instructions too
  --store DIR        measure the store of another checkout (its packages/store built)
  --keep-dumps DIR   keep callgrind's dumps (one per phase) in DIR, for callgrind_annotate
  --out FILE         the Markdown report (default loadtest/reports/lua-cost-<time>.md)`;

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const LUA_COMMANDS = new Set(['fcall', 'evalsha', 'eval']);
/** Pacing out of the way: the workload measures the Lua, not Telegram's limits. */
const UNPACED = {
  chatRatePerSec: 1000,
  chatBurst: 1000,
  floodBurst: 1000,
  floodPerMinute: 100_000,
};

interface Row {
  calls: number;
  usec: number;
  innerUsec: number;
  commands: number;
  instructions: number;
  innerInstructions: number;
}

const emptyRow = (): Row => ({
  calls: 0,
  usec: 0,
  innerUsec: 0,
  commands: 0,
  instructions: 0,
  innerInstructions: 0,
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '400' },
      messages: { type: 'string', default: '4' },
      'settle-limit': { type: 'string', default: '5' },
      instructions: { type: 'boolean', default: false },
      store: { type: 'string' },
      'keep-dumps': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const workload: Workload = {
    users: whole('users', values.users, 2, 100_000),
    messages: whole('messages', values.messages, 0, 1_000),
    concurrency: 100,
    settleLimit: whole('settle-limit', values['settle-limit'], 1, 1_000),
  };
  const checkout = resolve(values.store ?? ROOT);
  const { openRedisStateStore: open } = (await import(
    pathToFileURL(join(checkout, 'packages/store/dist/index.js')).href
  )) as { openRedisStateStore: typeof openRedisStateStore };

  const dumps = await mkdtemp(join(tmpdir(), 'lua-cost-'));
  const port = await freePort();
  const server = startRedis(port, dumps, values.instructions ? join(dumps, 'cg') : null);
  const admin = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    enableAutoPipelining: true,
  });
  const rows = new Map<string, Row>();
  try {
    await connect(admin);
    await client.connect();
    const store = open(client, { prefix: 'lua-cost:{h}:', limits: UNPACED });
    await store.outbox.settle([], 1, 1_000); // loads the library (or the scripts) first
    await runWorkload(store, workload, async (name, phase) => {
      await admin.config('RESETSTAT');
      if (values.instructions) await callgrind(server, '-i', 'on');
      await phase();
      if (values.instructions) {
        await callgrind(server, '-i', 'off');
        await callgrind(server, '-d');
      }
      const row = rows.get(name) ?? emptyRow();
      addCommandStats(row, await admin.info('commandstats'));
      if (values.instructions) {
        const { all, inner } = instructionsOf(await lastDump(dumps));
        row.instructions += all;
        row.innerInstructions += inner;
      }
      rows.set(name, row);
    });
  } finally {
    await admin.shutdown('NOSAVE').catch(() => undefined);
    client.disconnect();
    admin.disconnect();
    // A server the admin never reached (or that did not stop) is stopped by signal.
    if (server.exitCode === null) server.kill('SIGTERM');
    await exited(server);
    if (values['keep-dumps']) await cp(dumps, resolve(values['keep-dumps']), { recursive: true });
    await rm(dumps, { recursive: true, force: true });
  }
  const report = render(rows, workload, await revision(checkout), values.instructions);
  const out =
    values.out ??
    join(ROOT, 'loadtest/reports', `lua-cost-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, report);
  console.log(`${report}\nwritten to ${out}`);
}

function whole(name: string, raw: string | undefined, min: number, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw ?? '') || n < min || n > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function addCommandStats(row: Row, info: string): void {
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    const [, name = '', calls, usec] = m;
    if (LUA_COMMANDS.has(name)) {
      row.calls += Number(calls);
      row.usec += Number(usec);
    } else if (name !== 'config' && name !== 'info') {
      row.commands += Number(calls);
      row.innerUsec += Number(usec);
    }
  }
}

function render(rows: Map<string, Row>, w: Workload, rev: string, instructions: boolean): string {
  const all = emptyRow();
  const lines = [
    `# Lua cost per call (store at ${rev})`,
    '',
    `${w.users} users, ${w.messages} messages each, settles of ${w.settleLimit} chats.` +
      (instructions
        ? ' Redis under callgrind: its µs are slowed many times; compare instructions.'
        : ''),
    '',
    `| function | calls | µs/call | Lua's own µs/call | commands/call |${instructions ? " Lua's own instructions/call |" : ''}`,
    `|---|---|---|---|---|${instructions ? '---|' : ''}`,
  ];
  const line = (name: string, r: Row) => {
    const own = instructions
      ? ` ${Math.round((r.instructions - r.innerInstructions) / r.calls)} |`
      : '';
    lines.push(
      `| ${name} | ${r.calls} | ${(r.usec / r.calls).toFixed(1)} | ${((r.usec - r.innerUsec) / r.calls).toFixed(1)} | ${(r.commands / r.calls).toFixed(1)} |${own}`,
    );
  };
  for (const [name, r] of rows) {
    line(name, r);
    for (const k of Object.keys(all) as (keyof Row)[]) all[k] += r[k];
  }
  line('**all**', all);
  return `${lines.join('\n')}\n`;
}

async function revision(dir: string): Promise<string> {
  const { stdout } = await run('git', ['-C', dir, 'rev-parse', '--short', 'HEAD']).catch(() => ({
    stdout: '?',
  }));
  return stdout.trim();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
