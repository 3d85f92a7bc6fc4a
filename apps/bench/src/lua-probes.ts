import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import * as bench from './callgrind-redis.js';

/**
 * What the pieces a library function is made of cost Redis, in instructions under callgrind: a
 * few probe functions are appended to the library (same chunk, so they reach its helpers), each
 * called many times, and its own instructions per call are reported beside an empty call's.
 * The figures behind "fewer commands and fewer conversions" (packages/store/README.md).
 */
const USAGE = `usage: npm run bench:lua-probes -- [options]
  --calls N      calls of each probe (default 300)
  --store DIR    the library of another checkout (its packages/store built)
  --out FILE     the Markdown report (default loadtest/reports/lua-probes-<time>.md)`;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface Probe {
  readonly name: string;
  /** What the probe does, for the report. */
  readonly what: string;
  /** The body of the registered function (a: its arguments by name). */
  readonly lua: string;
  readonly args?: readonly string[];
  /** The arguments of call `i`. */
  readonly values?: (i: number) => readonly string[];
}

const TEN = (statement: string) => `for _ = 1, 10 do ${statement} end`;

/** Probes doing something ten times report a tenth of their cost above the empty call. */
const PROBES: readonly Probe[] = [
  { name: 'p_empty', what: 'an FCALL doing nothing (prefix and limits only)', lua: '' },
  {
    name: 'p_args9',
    what: 'the same with nine more arguments',
    lua: '',
    args: ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9'],
    values: (i) => ['1', 'm', String(i), '5', '', '', '', '', ''],
  },
  { name: 'p_get10', what: 'a GET of a missing key, x10', lua: TEN("redis.call('GET', P .. 'x')") },
  {
    name: 'p_hmget10',
    what: 'an HMGET of four fields of a missing key, x10',
    lua: TEN("redis.call('HMGET', P .. 'x', 'a', 'b', 'c', 'd')"),
  },
  {
    name: 'p_tonumber10',
    what: 'tonumber of a 13-digit time, x10',
    lua: TEN('local _ = tonumber(a.t)'),
    args: ['t'],
    values: () => ['1733391234567'],
  },
  {
    name: 'p_format10',
    what: "int(now), a string.format('%d'), x10",
    lua: TEN('local _ = int(now)'),
  },
  {
    name: 'p_concat10',
    what: 'a plain copy\'s payload written by ".." of six parts, x10',
    lua: TEN(
      `local _ = '{"k":"copy","from":"' .. a.c .. '","ids":["' .. a.m .. '"],' .. '"due":"0"}'`,
    ),
    args: ['c', 'm'],
    values: (i) => ['12345', String(i)],
  },
  {
    name: 'p_table10',
    what: 'a table of fourteen named fields made, x10',
    lua: TEN(
      "local _ = {a = 1, b = '0', c = '0', d = '1', e = '', f = 'k', g = 'm', h = 'x', i = 1, j = 1, k = false, l = false, m = false, n = false}",
    ),
  },
];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '300' },
      store: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const calls = Number(values.calls);
  if (!Number.isInteger(calls) || calls < 10 || calls > 100_000) {
    throw new Error(`--calls must be a whole number from 10 to 100000, got "${values.calls}"`);
  }
  const checkout = resolve(values.store ?? ROOT);
  const dist = (file: string) => pathToFileURL(join(checkout, 'packages/store/dist', file)).href;
  const { LIBRARY_SOURCE } = (await import(dist('redis/library.js'))) as {
    LIBRARY_SOURCE: string;
  };
  const { limitsText } = (await import(dist('redis/lua-runner.js'))) as {
    limitsText: (limits: object) => string;
  };
  const { DEFAULT_STORE_LIMITS } = (await import(dist('state-store.js'))) as {
    DEFAULT_STORE_LIMITS: object;
  };

  const dumps = await mkdtemp(join(tmpdir(), 'lua-probes-'));
  const port = await bench.freePort();
  const server = bench.startRedis(port, dumps, join(dumps, 'cg'));
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
  const rows: { probe: Probe; own: number }[] = [];
  try {
    await bench.connect(redis);
    const registered = PROBES.map(
      (p) =>
        `fn('${p.name}', {${(p.args ?? []).map((a) => `'${a}'`).join(', ')}}, function(a) ${p.lua} return 1 end)`,
    );
    await redis.call('FUNCTION', 'LOAD', 'REPLACE', `${LIBRARY_SOURCE}\n${registered.join('\n')}`);
    const head = ['probe:{p}:', limitsText(DEFAULT_STORE_LIMITS)];
    for (const probe of PROBES) {
      await bench.callgrind(server, '-i', 'on');
      for (let i = 0; i < calls; i++) {
        await redis.call(
          'FCALL',
          probe.name,
          1,
          'probe:{p}:ready',
          ...head,
          ...(probe.values?.(i) ?? []),
        );
      }
      await bench.callgrind(server, '-i', 'off');
      await bench.callgrind(server, '-d');
      const { all, inner } = bench.instructionsOf(await bench.lastDump(dumps));
      rows.push({ probe, own: (all - inner) / calls });
    }
  } finally {
    await redis.shutdown('NOSAVE').catch(() => undefined);
    redis.disconnect();
    if (server.exitCode === null) server.kill('SIGTERM');
    await bench.exited(server);
    await rm(dumps, { recursive: true, force: true });
  }
  const empty = rows[0]!.own;
  const lines = [
    `# What a library function's pieces cost (${calls} calls of each probe)`,
    '',
    "Lua's own instructions per call (the call's less the commands' inside it), under callgrind.",
    '',
    '| probe | what it does | own instructions per call | above the empty call | each (x10 probes) |',
    '|---|---|---|---|---|',
    ...rows.map(({ probe, own }) => {
      const above = own - empty;
      const each = probe.lua.startsWith('for _ = 1, 10') ? String(Math.round(above / 10)) : '';
      return `| ${probe.name} | ${probe.what} | ${Math.round(own)} | ${Math.round(above)} | ${each} |`;
    }),
  ];
  const report = `${lines.join('\n')}\n`;
  const out =
    values.out ??
    join(
      ROOT,
      'loadtest/reports',
      `lua-probes-${new Date().toISOString().replace(/[:.]/g, '-')}.md`,
    );
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, report);
  console.log(`${report}\nwritten to ${out}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
