import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { isMissingFunction } from '../redis/lua-function.js';
import type { LuaEngine, RedisClient } from '../redis/lua-runner.js';
import { EmbeddedLua } from './embedded-lua.js';
import { mockModule } from './mock-commands.js';

export { FIELD_SEPARATOR } from './embedded-lua.js';

/**
 * The embedded default runs the Redis adapter itself over ioredis-mock, an in-memory Redis, so
 * every rule is written once, in Lua. The library does not go through ioredis-mock's EVAL (a
 * new Lua VM and a fresh parse on every call, and no FUNCTION or FCALL at all): each client
 * gets an `EmbeddedLua` of its own (embeddedEngine), whose persistent VM loads the library once
 * and runs its commands on the client's data.
 */
export function createEmbeddedRedis(): RedisClient {
  // ioredis-mock shares one dataset between instances of the same host and port; a host of
  // its own keeps each embedded engine apart.
  return new (mockModule().RedisMock)({ host: `embedded-${randomUUID()}` });
}

/** The library on the embedded engine: loaded into the client's own persistent Lua VM. */
export function embeddedEngine(client: RedisClient): LuaEngine {
  const lua = new EmbeddedLua(client as Redis);
  const run = <T>(op: () => T): Promise<T> => new Promise((resolve) => resolve(op()));
  return {
    fcall: (name, keys, args) => run(() => lua.fcall(name, keys, args)),
    versions: () =>
      run(() => {
        try {
          return [Number(lua.fcall('version', [], []))];
        } catch (err) {
          if (isMissingFunction(err)) return [null];
          throw err;
        }
      }),
    load: (source) => run(() => void lua.functionLoad(source, true)),
  };
}
