import assert from 'node:assert/strict';
import { it } from 'node:test';
import { StoreScriptError } from '../errors.js';
import { SCRIPTS, ScriptRunner } from '../redis/script-runner.js';
import { DEFAULT_STORE_LIMITS } from '../state-store.js';
import { createEmbeddedRedis } from './embedded-redis.js';

const open = (scripts: Record<string, string>): ScriptRunner =>
  new ScriptRunner(createEmbeddedRedis(scripts), {
    prefix: 'test:{t}:',
    limits: DEFAULT_STORE_LIMITS,
  });

it('runs the scripts as client commands, with the key and arguments ScriptRunner passes', async () => {
  const runner = open({ ...SCRIPTS, hamdamStats: 'return {KEYS[1], ARGV[1], ARGV[3]}' });
  assert.deepEqual(await runner.script('hamdamStats', 'x'), ['test:{t}:ready', 'test:{t}:', 'x']);
  await runner.close();
});

it('reports a failing script as a script error, not as an unreachable store', async () => {
  const runner = open({ ...SCRIPTS, hamdamStats: "error('broken rule')" });
  await assert.rejects(runner.script('hamdamStats'), (err: Error) => {
    assert.ok(err instanceof StoreScriptError, String(err));
    assert.match(err.message, /^ERR user_script:1: broken rule/);
    return true;
  });
  await runner.close();
});
