import { lauxlib, lua, type JsFunction, type LuaState } from 'fengari';
import type { Redis } from 'ioredis';
import { argumentText, pushCommandReply } from './lua-values.js';
import { mockModule, type MockCommand } from './mock-commands.js';

/** Separates the fields of a journal entry in the embedded engine's list (see XADD below). */
export const FIELD_SEPARATOR = '\x1f';

/** Commands a script may not run: they re-enter the engine or need a connection of their own. */
const FORBIDDEN = new Set([
  ...['eval', 'evaluate', 'evalsha', 'script', 'function', 'fcall'],
  ...['multi', 'exec', 'discard', 'watch', 'unwatch', 'quit', 'connect', 'disconnect'],
  ...['subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe', 'monitor'],
]);

/** A command failed: raised in Lua as Redis 7 raises it, an error reply table `{err=…}`. */
class CommandError extends Error {}

/**
 * redis.call and redis.pcall of the embedded engine: each runs one command synchronously with
 * ioredis-mock's own implementation, on the given mock's data, and pushes its answer.
 */
export class RedisCall {
  readonly #mock: Redis;
  readonly #commands: Readonly<Record<string, MockCommand>>;

  constructor(mock: Redis) {
    this.#mock = mock;
    this.#commands = mockModule().commands;
  }

  /** redis.call / redis.pcall: one command on the mock's dataset, its answer pushed. */
  run(L: LuaState, protectedCall: boolean): number {
    try {
      this.#command(L, commandArguments(L));
    } catch (err) {
      if (!protectedCall || !(err instanceof CommandError)) throw err;
      lua.lua_createtable(L, 0, 1);
      lua.lua_pushstring(L, err.message);
      lua.lua_setfield(L, -2, 'err');
    }
    return 1;
  }

  #command(L: LuaState, [name = '', ...args]: string[]): void {
    const command = name.toLowerCase();
    if (command === 'time') {
      const ms = Date.now();
      const seconds = Math.floor(ms / 1000);
      pushCommandReply(L, [String(seconds), String((ms - seconds * 1000) * 1000)]);
    } else if (command === 'xadd') {
      const [key = ''] = args;
      const id = args.indexOf('*', 1);
      if (id < 0) throw new CommandError("ERR XADD on the embedded engine takes the id '*'");
      const seq = this.#mockCall('incr', [`${key}:seq`]);
      this.#mockCall('rpush', [key, [String(seq), ...args.slice(id + 1)].join(FIELD_SEPARATOR)]);
      pushCommandReply(L, seq);
    } else if (command === 'xlen') {
      pushCommandReply(L, this.#mockCall('llen', args));
    } else {
      pushCommandReply(L, this.#mockCall(command, args));
    }
  }

  #mockCall(command: string, args: string[]): unknown {
    const implementation = this.#commands[command];
    if (!implementation || FORBIDDEN.has(command)) {
      throw new CommandError('ERR Unknown Redis command called from script');
    }
    let result: unknown;
    try {
      result = implementation.apply(this.#mock, args);
    } catch (err) {
      throw new CommandError(messageOf(err));
    }
    if (result instanceof Promise) {
      throw new CommandError('ERR This Redis command is not allowed from script');
    }
    return result;
  }
}

function commandArguments(L: LuaState): string[] {
  const count = lua.lua_gettop(L);
  if (count === 0) {
    throw new CommandError('ERR Please specify at least one argument for this redis lib call');
  }
  const args: string[] = [];
  for (let i = 1; i <= count; i++) {
    const text = argumentText(L, i);
    if (text === null) {
      throw new CommandError('ERR Lua redis lib command arguments must be strings or integers');
    }
    args.push(text);
  }
  return args;
}

/**
 * A JS function Lua can call: a thrown CommandError is raised as an error reply table, like a
 * failed redis.call on Redis 7; any other error as a message with the caller's position.
 */
export function guarded(fn: JsFunction): JsFunction {
  return (L) => {
    let failure: unknown;
    try {
      return fn(L);
    } catch (err) {
      failure = err;
    }
    lua.lua_settop(L, 0);
    if (failure instanceof CommandError) {
      lua.lua_createtable(L, 0, 1);
      lua.lua_pushstring(L, failure.message);
      lua.lua_setfield(L, -2, 'err');
    } else {
      lauxlib.luaL_where(L, 1);
      const where = lua.lua_tojsstring(L, -1);
      lua.lua_pop(L, 1);
      lua.lua_pushstring(L, where + messageOf(failure));
    }
    return lua.lua_error(L);
  };
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
