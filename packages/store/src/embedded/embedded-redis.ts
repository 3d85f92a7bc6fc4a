import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../redis/script-runner.js';
import { EmbeddedLua, type Reply } from './embedded-lua.js';
import { mockModule } from './mock-commands.js';

export { FIELD_SEPARATOR } from './embedded-lua.js';

/**
 * The embedded default runs the Redis adapter itself over ioredis-mock, an in-memory Redis, so
 * every rule is written once, in Lua. Scripts do not go through ioredis-mock's EVAL (a new Lua
 * VM and a fresh parse on every call): each client gets an `EmbeddedLua` of its own, whose
 * persistent VM compiles a script once and runs its commands on the client's data. Each
 * script named in `scripts` becomes a command of the client, called as ScriptRunner calls the
 * commands it defines on Redis: `client[name](key, ...args)`.
 */
export function createEmbeddedRedis(scripts: Readonly<Record<string, string>> = {}): RedisClient {
  // ioredis-mock shares one dataset between instances of the same host and port; a host of
  // its own keeps each embedded engine apart.
  const client = new (mockModule().RedisMock)({ host: `embedded-${randomUUID()}` });
  const engine = new EmbeddedLua(client);
  const commands = client as unknown as Record<string, ScriptCommand>;
  for (const [name, lua] of Object.entries(scripts)) {
    commands[name] = (key, ...args) =>
      new Promise((resolve) => resolve(engine.eval(lua, [key], args)));
  }
  return client;
}

type ScriptCommand = (key: string, ...args: string[]) => Promise<Reply>;
