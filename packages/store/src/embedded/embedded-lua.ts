import { createHash } from 'node:crypto';
import { lauxlib, lua, lualib, to_luastring, type JsFunction, type LuaState } from 'fengari';
import type { Redis } from 'ioredis';
import { encodeJson, JSON_NULL, pushJson } from './lua-cjson.js';
import { functionLibrary, FunctionRegistry } from './lua-functions.js';
import {
  argumentText,
  LuaReplyError,
  pushCommandReply,
  pushStrings,
  rawField,
  readReply,
  type Reply,
} from './lua-values.js';
import { mockModule, type MockCommand } from './mock-commands.js';

export { LuaReplyError, type Reply } from './lua-values.js';

/** An ioredis-mock client: the dataset the engine's `redis.call` reads and writes. */
export type RedisMock = Redis;

/** Separates the fields of a journal entry in the embedded engine's list (see XADD below). */
export const FIELD_SEPARATOR = '\x1f';

/** Commands a script may not run: they re-enter the engine or need a connection of their own. */
const FORBIDDEN = new Set([
  ...['eval', 'evaluate', 'evalsha', 'script', 'function', 'fcall'],
  ...['multi', 'exec', 'discard', 'watch', 'unwatch', 'quit', 'connect', 'disconnect'],
  ...['subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe', 'monitor'],
]);

/**
 * Globals every script sees, set up once per VM. Then the globals table is closed as Redis
 * closes it: reading an undefined global or creating one is an error. An EVAL chunk runs in an
 * environment of its own per call (fresh KEYS and ARGV) that reads through to the globals;
 * the returned table is that environment's metatable.
 */
const PRELUDE = `
unpack = table.unpack
redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING = 0, 1, 2, 3
function redis.log() end
function redis.error_reply(msg) return {err = msg} end
function redis.status_reply(msg) return {ok = msg} end
local G = _G
setmetatable(G, {
  __index = function(_, name)
    error("Script attempted to access nonexistent global variable '" .. tostring(name) .. "'", 2)
  end,
  __newindex = function(_, name)
    error("Script attempted to create global variable '" .. tostring(name) .. "'", 2)
  end,
})
return {__index = G, __newindex = G}
`;

/** A command failed: raised in Lua as Redis 7 raises it, an error reply table `{err=…}`. */
class CommandError extends Error {}

/**
 * A Lua engine for the embedded store, on one persistent fengari VM: a script or a function
 * library is parsed once, then called as often as needed, and its `redis.call` runs
 * ioredis-mock's command implementations synchronously on the given mock's dataset, the same
 * data its ordinary (promise) commands read. It replaces ioredis-mock's EVAL, which builds a
 * new VM and reparses the script on every call and has no FUNCTION LOAD or FCALL.
 *
 * It answers as Redis does where ioredis-mock's bridge does not: nil inside an array reply is
 * `false`; whole numbers from commands are integers; numbers passed to commands become their
 * Redis text; HGETALL is a flat list. Two departures, for this engine only: TIME reads
 * Date.now() and answers floats (fengari's integers have 32 bits, too few for milliseconds
 * since 1970 once multiplied), and XADD, with no consumer groups to serve, becomes
 * INCR <key>:seq and RPUSH <key> "<seq>\x1f<field>\x1f<value>…" answering the seq (XLEN is LLEN),
 * a list `EmbeddedJournal` reads.
 */
export class EmbeddedLua {
  readonly #mock: RedisMock;
  readonly #commands: Readonly<Record<string, MockCommand>>;
  readonly #L: LuaState;
  readonly #envMeta: number;
  readonly #redis: number;
  readonly #scripts = new Map<string, number>();
  readonly #library: FunctionRegistry;
  #compilations = 0;

  constructor(mock: RedisMock) {
    this.#mock = mock;
    this.#commands = mockModule().commands;
    const L = lauxlib.luaL_newstate();
    this.#L = L;
    this.#library = new FunctionRegistry(L);
    lualib.luaL_openlibs(L);
    // A JS exception that escapes a function below still reaches Lua as an error, not a crash.
    lua.lua_atnativeerror(L, (S) => {
      lua.lua_pushstring(S, messageOf(lua.lua_touserdata(S, -1)));
      return 1;
    });

    lua.lua_createtable(L, 0, 8);
    this.#setFunction('call', (S) => this.#call(S, false));
    this.#setFunction('pcall', (S) => this.#call(S, true));
    this.#setFunction('sha1hex', (S) => {
      lua.lua_pushstring(S, createHash('sha1').update(stringArgument(S, 1)).digest('hex'));
      return 1;
    });
    lua.lua_pushvalue(L, -1);
    this.#redis = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    lua.lua_setglobal(L, 'redis');

    lua.lua_createtable(L, 0, 3);
    this.#setFunction('encode', (S) => {
      lua.lua_pushstring(S, encodeJson(S, 1));
      return 1;
    });
    this.#setFunction('decode', (S) => {
      pushJson(S, stringArgument(S, 1));
      return 1;
    });
    lua.lua_pushlightuserdata(L, JSON_NULL);
    lua.lua_setfield(L, -2, 'null');
    lua.lua_setglobal(L, 'cjson');

    const prelude = this.#compile(PRELUDE, '=prelude', 'ERR ');
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, prelude);
    lauxlib.luaL_unref(L, lua.LUA_REGISTRYINDEX, prelude);
    this.#envMeta = this.#run(0, (S) => lauxlib.luaL_ref(S, lua.LUA_REGISTRYINDEX));
    this.#compilations = 0;
  }

  /** Chunks compiled so far (scripts and libraries): each distinct source counts once. */
  get compilations(): number {
    return this.#compilations;
  }

  /**
   * FUNCTION LOAD [REPLACE]: runs `source` (first line `#!lua name=<lib>`), keeping what it
   * registers with redis.register_function, and answers the library's name.
   */
  functionLoad(source: string, replace: boolean): string {
    const { name, body } = functionLibrary(source);
    if (this.#library.has(name) && !replace) {
      throw new LuaReplyError(`ERR Library '${name}' already exists`);
    }
    const L = this.#L;
    const chunk = this.#compile(body, '@user_function', 'ERR Error compiling function: ');
    const registered = this.#library.begin();
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, this.#redis);
    lua.lua_pushjsfunction(L, guarded(registered.register));
    lua.lua_setfield(L, -2, 'register_function');
    lua.lua_settop(L, 0);
    try {
      lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, chunk);
      if (lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) {
        registered.discard();
        const message = errorText(L, -1).replace(/^ERR /, '');
        throw new LuaReplyError(`ERR Error registering functions: ${message}`);
      }
      this.#library.commit(name, registered);
      return name;
    } finally {
      lua.lua_settop(L, 0);
      lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, this.#redis);
      lua.lua_pushnil(L);
      lua.lua_setfield(L, -2, 'register_function');
      lua.lua_settop(L, 0);
      lauxlib.luaL_unref(L, lua.LUA_REGISTRYINDEX, chunk);
    }
  }

  /** FCALL: calls a registered function with its keys and args as its two parameters. */
  fcall(name: string, keys: readonly string[], args: readonly string[]): Reply {
    const ref = this.#library.function(name);
    if (ref === undefined) throw new LuaReplyError('ERR Function not found');
    const L = this.#L;
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
    pushStrings(L, keys);
    pushStrings(L, args);
    return this.#run(2, (S) => readReply(S, -1));
  }

  /** EVAL: runs a script chunk, compiled on its first call, with this call's KEYS and ARGV. */
  eval(source: string, keys: readonly string[], args: readonly string[]): Reply {
    const L = this.#L;
    let ref = this.#scripts.get(source);
    if (ref === undefined) {
      ref = this.#compile(source, '@user_script', 'ERR Error compiling script (new function): ');
      this.#scripts.set(source, ref);
    }
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
    lua.lua_createtable(L, 0, 2);
    pushStrings(L, keys);
    lua.lua_setfield(L, -2, 'KEYS');
    pushStrings(L, args);
    lua.lua_setfield(L, -2, 'ARGV');
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, this.#envMeta);
    lua.lua_setmetatable(L, -2);
    // The chunk's only upvalue is its _ENV: this call's environment replaces the last one's.
    lua.lua_setupvalue(L, -2, 1);
    return this.#run(0, (S) => readReply(S, -1));
  }

  /** Compiles `source` into a function kept in the registry; answers its reference. */
  #compile(source: string, chunkName: string, errorPrefix: string): number {
    const L = this.#L;
    const bytes = to_luastring(source);
    if (lauxlib.luaL_loadbuffer(L, bytes, bytes.length, chunkName) !== lua.LUA_OK) {
      const message = lua.lua_tojsstring(L, -1);
      lua.lua_settop(L, 0);
      throw new LuaReplyError(errorPrefix + message);
    }
    this.#compilations++;
    return lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  }

  /** Calls the function below `nargs` arguments on the stack and reads its one answer. */
  #run<T>(nargs: number, read: (L: LuaState) => T): T {
    const L = this.#L;
    try {
      if (lua.lua_pcall(L, nargs, 1, 0) !== lua.LUA_OK) {
        throw new LuaReplyError(errorText(L, -1));
      }
      return read(L);
    } finally {
      lua.lua_settop(L, 0);
    }
  }

  #setFunction(name: string, fn: JsFunction): void {
    lua.lua_pushjsfunction(this.#L, guarded(fn));
    lua.lua_setfield(this.#L, -2, name);
  }

  /** redis.call / redis.pcall: one command on the mock's dataset, its answer pushed. */
  #call(L: LuaState, protectedCall: boolean): number {
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
      lua.lua_createtable(L, 2, 0);
      lua.lua_pushnumber(L, seconds);
      lua.lua_rawseti(L, -2, 1);
      lua.lua_pushnumber(L, (ms - seconds * 1000) * 1000);
      lua.lua_rawseti(L, -2, 2);
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

function stringArgument(L: LuaState, idx: number): string {
  const text = argumentText(L, idx);
  if (text === null) throw new Error(`bad argument #${idx} (string expected)`);
  return text;
}

/**
 * A JS function Lua can call: a thrown CommandError is raised as an error reply table, like a
 * failed redis.call on Redis 7; any other error as a message with the caller's position.
 */
function guarded(fn: JsFunction): JsFunction {
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

/** A Lua error value as the text of an error reply: a reply table's own, else "ERR <text>". */
function errorText(L: LuaState, idx: number): string {
  if (lua.lua_type(L, idx) === lua.LUA_TTABLE) {
    const err = rawField(L, idx < 0 ? lua.lua_gettop(L) + idx + 1 : idx, 'err');
    if (err !== null) return err;
  }
  const text = argumentText(L, idx);
  return `ERR ${text ?? 'a script raised an error that is neither a string nor an error reply'}`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
