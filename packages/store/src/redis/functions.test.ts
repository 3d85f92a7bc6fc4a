import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIBRARY_SOURCE } from './library.js';
import type { LuaFunction } from './lua-function.js';
import * as broadcasts from './redis-broadcasts.js';
import * as moderation from './redis-moderation.js';
import * as outbox from './redis-outbox.js';
import * as pairing from './redis-pairing.js';
import * as profiles from './redis-profiles.js';
import * as upkeep from './redis-upkeep.js';

const isDeclaration = (v: unknown): v is LuaFunction =>
  typeof v === 'object' && v !== null && 'name' in v && 'args' in v && 'decode' in v;

/** Every function the TypeScript declares, by name. */
const declared = new Map(
  [broadcasts, moderation, outbox, pairing, profiles, upkeep]
    .flatMap((module) => Object.values(module).filter(isDeclaration))
    .map((fn) => [fn.name, fn.args] as const),
);

/** Every function the Lua registers with fn(), with the argument names it reads. */
const registered = new Map(
  [...LIBRARY_SOURCE.matchAll(/^(?:fn|userFn)\('(\w+)', \{([^}]*)\}/gm)].map(([, name, list]) => [
    name!,
    [...list!.matchAll(/'([^']+)'/g)].map(([, arg]) => arg!),
  ]),
);

test('the library registers every function the TypeScript declares, with the same arguments', () => {
  assert.ok(declared.size >= 25, `found the declarations (${[...declared.keys()].join(', ')})`);
  for (const [name, args] of declared) {
    assert.deepEqual(registered.get(name), [...args], `${name}: the Lua's arguments`);
  }
});

test('the TypeScript declares every function the library registers', () => {
  assert.deepEqual([...registered.keys()].sort(), [...declared.keys()].sort());
});

test('the library declares its version once', () => {
  const versions = [...LIBRARY_SOURCE.matchAll(/^local VERSION = (\d+)$/gm)];
  assert.equal(versions.length, 1);
});
