import assert from 'node:assert/strict';
import { it } from 'node:test';
import { StoreScriptError } from '../errors.js';
import { LIBRARY_SOURCE, LIBRARY_VERSION } from '../redis/library.js';
import { luaFunction } from '../redis/lua-function.js';
import { LuaRunner } from '../redis/lua-runner.js';
import { DEFAULT_STORE_LIMITS } from '../state-store.js';
import { createEmbeddedRedis, embeddedEngine } from './embedded-redis.js';

it("loads the library into the client's own engine, and tells its version", async () => {
  const engine = embeddedEngine(createEmbeddedRedis());
  assert.deepEqual(await engine.versions(), [null]);
  await engine.load(LIBRARY_SOURCE);
  assert.deepEqual(await engine.versions(), [LIBRARY_VERSION]);
  // Loaded again (a second worker's start), it replaces itself.
  await engine.load(LIBRARY_SOURCE);
  assert.deepEqual(await engine.versions(), [LIBRARY_VERSION]);
});

it('runs a function with the prefix, the limits and the key the runner passes', async () => {
  const client = createEmbeddedRedis();
  const engine = embeddedEngine(client);
  const probe = `${LIBRARY_SOURCE}
fn('t_probe', {'x'}, function(a) return {P, C.floodBurst, a.x} end)
fn('t_fail', {}, function() error('broken rule') end)`;
  const runner = new LuaRunner(
    client,
    { ...engine, load: () => engine.load(probe) },
    { prefix: 'test:{t}:', limits: { ...DEFAULT_STORE_LIMITS, floodBurst: 7 } },
  );
  assert.deepEqual(
    await runner.run(
      luaFunction('t_probe', ['x'], (r) => r),
      { x: 'y' },
    ),
    ['test:{t}:', 7, 'y'],
  );
  // A failing function is a script error (a bug), not an unreachable store.
  await assert.rejects(
    runner.run(
      luaFunction('t_fail', [], (r) => r),
      {},
    ),
    (err: Error) => {
      assert.ok(err instanceof StoreScriptError, String(err));
      assert.match(err.message, /broken rule/);
      return true;
    },
  );
  await runner.close();
});
