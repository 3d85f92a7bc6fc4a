import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sourceLocator } from './profile-files.js';
import { packageClassifier, summariseProfiles, type CpuProfile } from './profile-summary.js';

const root = '/repo';
const workspaces = [
  { name: '@hamdam/store', dir: 'packages/store' },
  { name: '@hamdam/bot', dir: 'apps/bot' },
];
const frame = (functionName: string, url: string, lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
});

/**
 * root ─┬ (idle)                                   5 ms
 *       ├ (garbage collector)                      2 ms
 *       ├ (program)                                1 ms
 *       ├ processTicksAndRejections (node:)        1 ms self
 *       │  └ handle (apps/bot)                     2 ms self
 *       │     └ relay (packages/store)             1 ms self
 *       │        └ write (node_modules/ioredis)    2 ms self
 *       │           └ JSON.stringify (builtin)     1 ms self
 *       └ parse (node_modules/@fastify/x)          1 ms (no hamdam frame)
 * One tick a millisecond; the ticks before 2 ms and from 18 ms on lie outside the window.
 */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 3, 4, 5, 9] },
    { id: 2, callFrame: frame('(idle)', '') },
    { id: 3, callFrame: frame('(garbage collector)', '') },
    { id: 4, callFrame: frame('(program)', '') },
    {
      id: 5,
      callFrame: frame('processTicksAndRejections', 'node:internal/process/task_queues'),
      children: [6],
    },
    { id: 6, callFrame: frame('handle', 'file:///repo/apps/bot/dist/router.js', 9), children: [7] },
    {
      id: 7,
      callFrame: frame('relay', '/repo/packages/store/dist/redis-pairing.js', 41),
      children: [8],
    },
    {
      id: 8,
      callFrame: frame('write', '/repo/node_modules/ioredis/built/Redis.js'),
      children: [10],
    },
    { id: 9, callFrame: frame('parse', '/repo/node_modules/@fastify/x/index.js') },
    { id: 10, callFrame: frame('stringify', '') },
  ],
  startTime: 1_000_000,
  endTime: 1_020_000,
  // Tick i at i ms: two before the window, 16 in it (2..17 ms), two after.
  samples: [2, 2, 2, 2, 2, 2, 2, 3, 3, 4, 5, 6, 6, 7, 8, 8, 10, 9, 9, 2],
  timeDeltas: [0, ...Array.from({ length: 19 }, () => 1_000)],
};
const window = { fromUs: 1_002_000, toUs: 1_018_000 };

test('busy time by package, idle left out, builtins charged to their caller', () => {
  const s = summariseProfiles([profile], window, root, workspaces);
  // In the window: ticks at 2..17 ms; idle at 2..6 ms (5), busy 11 ms.
  assert.equal(s.busyMs, 11);
  assert.equal(s.windowMs, 16);
  assert.equal(s.busyPercentOfCore, 68.8);
  const byName = Object.fromEntries(s.packages.map((p) => [p.name, p.ms]));
  assert.deepEqual(byName, {
    ioredis: 3,
    '(garbage collector)': 2,
    '@hamdam/bot': 2,
    '(program)': 1,
    'node:': 1,
    '@hamdam/store': 1,
    '@fastify/x': 1,
  });
  const total = s.packages.reduce((a, p) => a + p.share, 0);
  assert.ok(Math.abs(total - 1) < 1e-3);
  assert.equal(s.gcShare, round(2 / 11));
});

test('each tick goes to the nearest hamdam frame; inclusive counts every frame on the stack', () => {
  const s = summariseProfiles([profile], window, root, workspaces);
  assert.deepEqual(
    s.functions.map((f) => [f.name, f.where, f.ms, f.inclusiveShare]),
    [
      ['relay', 'packages/store/dist/redis-pairing.js:42', 4, round(4 / 11)],
      ['handle', 'apps/bot/dist/router.js:10', 2, round(6 / 11)],
    ],
  );
  // GC, (program), node's tick loop and the framework's parse: 2 + 1 + 1 + 1.
  assert.equal(s.outsideHamdamShare, round(5 / 11));
  assert.deepEqual(
    s.outsideHamdam.map((x) => [x.name, x.ms]),
    [
      ['(garbage collector)', 2],
      ['(program)', 1],
      ['node:', 1],
      ['@fastify/x', 1],
    ],
  );
});

test('without a window the whole profile counts, and profiles add up', () => {
  const s = summariseProfiles([profile, profile], null, root, workspaces);
  assert.equal(s.profiles, 2);
  assert.equal(s.windowMs, 20);
  assert.equal(s.busyMs, 2 * 12);
});

test('packages from script URLs', () => {
  const of = packageClassifier(root, workspaces);
  assert.equal(of('node:internal/streams/writable').pkg, 'node:');
  assert.equal(of('file:///repo/node_modules/@scope/name/lib/a.js').pkg, '@scope/name');
  assert.equal(of('/repo/node_modules/a/node_modules/b/index.js').pkg, 'b');
  assert.deepEqual(of('file:///repo/packages/store/dist/x.js'), {
    pkg: '@hamdam/store',
    hamdam: 'packages/store/dist/x.js',
    library: false,
  });
  assert.equal(of('/elsewhere/x.js').pkg, '(other)');
});

function round(n: number): number {
  return Math.round(n * 1e4) / 1e4;
}

test('a build’s function is placed in its source through the map beside it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamdam-map-'));
  mkdirSync(join(dir, 'pkg/dist'), { recursive: true });
  // Generated line 1, column 0 → ../src/a.ts, line 5 ("AAIA": column 0, source 0, line +4).
  writeFileSync(
    join(dir, 'pkg/dist/a.js.map'),
    JSON.stringify({ version: 3, sources: ['../src/a.ts'], names: [], mappings: 'AAIA' }),
  );
  const locate = sourceLocator(dir);
  assert.equal(locate('pkg/dist/a.js', 0, 0), 'pkg/src/a.ts:5');
  assert.equal(locate('pkg/dist/missing.js', 0, 0), null);
  rmSync(dir, { recursive: true, force: true });
});
