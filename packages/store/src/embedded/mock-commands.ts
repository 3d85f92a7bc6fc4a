import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { runInThisContext } from 'node:vm';
import type { Redis } from 'ioredis';
import type RedisMockClass from 'ioredis-mock';

/** One of ioredis-mock's command implementations: synchronous, `this` the mock instance. */
export type MockCommand = (this: Redis, ...args: string[]) => unknown;

export interface MockModule {
  /** The RedisMock class of this copy of ioredis-mock. */
  readonly RedisMock: typeof RedisMockClass;
  /** Its command implementations by lower-case name (`hgetall`, `zadd`…). */
  readonly commands: Readonly<Record<string, MockCommand>>;
}

let loaded: MockModule | undefined;

/**
 * ioredis-mock, with its synchronous command implementations in hand.
 *
 * Its public methods return promises; the functions that do the work sit in `commands_exports`,
 * a variable local to its single bundled file (lib/index.js), which its own Lua bridge calls
 * with `this` = the instance. A script engine must run commands synchronously, in the middle
 * of a Lua call, so this loads a second copy of that file through Node's CommonJS wrapper with
 * one line appended that hands the variable out. The copy is a complete ioredis-mock: its
 * RedisMock class builds the clients of the embedded engine, so instance and commands come
 * from the same code. Nothing of ioredis-mock is patched; the copy is compiled once per
 * process. If an upgrade renames the variable, loading throws a ReferenceError here, and
 * mock-commands.test.ts fails on it.
 */
export function mockModule(): MockModule {
  loaded ??= load();
  return loaded;
}

function load(): MockModule {
  const path = createRequire(import.meta.url).resolve('ioredis-mock');
  const wrapped = `(function (exports, require, module, __filename, __dirname, expose) {${readFileSync(path, 'utf8')}
;expose(commands_exports);
})`;
  const run = runInThisContext(wrapped, { filename: path }) as (
    exports: object,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
    expose: (commands: Record<string, MockCommand>) => void,
  ) => void;
  const module = { exports: {} as unknown };
  let commands: Record<string, MockCommand> | undefined;
  run(module.exports as object, createRequire(path), module, path, dirname(path), (c) => {
    commands = c;
  });
  if (typeof module.exports !== 'function' || !commands || typeof commands.get !== 'function') {
    throw new Error(`ioredis-mock at ${path} no longer has the layout the embedded engine reads`);
  }
  return { RedisMock: module.exports as typeof RedisMockClass, commands };
}
