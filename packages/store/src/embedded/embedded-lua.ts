import { createHash } from 'node:crypto';
import { lauxlib, lua, lualib, to_luastring, type JsFunction, type LuaState } from 'fengari';
import type { Redis } from 'ioredis';
import { encodeJson, JSON_NULL, pushJson } from './lua-cjson.js';
import { functionLibrary, FunctionRegistry } from './lua-functions.js';
import {
  argumentText,
  LuaReplyError,
  pushStrings,
  rawField,
  readReply,
  type Reply,
} from './lua-values.js';
import { guarded, messageOf, RedisCall } from './redis-call.js';

export { LuaReplyError, type Reply } from './lua-values.js';
export { FIELD_SEPARATOR } from './redis-call.js';

/** An ioredis-mock client: the dataset the engine's `redis.call` reads and writes. */
export type RedisMock = Redis;

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

/**
 * A Lua engine for the embedded store, on one persistent fengari VM: a script or a function
 * library is parsed once, then called as often as needed, and its `redis.call` runs
 * ioredis-mock's command implementations synchronously on the given mock's dataset, the same
 * data its ordinary (promise) commands read. It replaces ioredis-mock's EVAL, which builds a
 * new VM and reparses the script on every call and has no FUNCTION LOAD or FCALL.
 *
 * It answers as Redis does where ioredis-mock's bridge does not: nil inside an array reply is
 * `false`; whole numbers from commands are integers; numbers passed to commands become their
 * Redis text; HGETALL is a flat list; TIME answers text (its microseconds from Date.now()). One
 * departure, for this engine only: XADD, with no consumer groups to serve, becomes
 * INCR <key>:seq and RPUSH <key> "<seq>\x1f<field>\x1f<value>…" answering the seq (XLEN is LLEN),
 * a list `EmbeddedJournal` reads.
 */
export class EmbeddedLua {
  readonly #L: LuaState;
  readonly #envMeta: number;
  readonly #redis: number;
  readonly #scripts = new Map<string, number>();
  readonly #library: FunctionRegistry;
  #compilations = 0;

  constructor(mock: RedisMock) {
    const calls = new RedisCall(mock);
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
    this.#setFunction('call', (S) => calls.run(S, false));
    this.#setFunction('pcall', (S) => calls.run(S, true));
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
}

function stringArgument(L: LuaState, idx: number): string {
  const text = argumentText(L, idx);
  if (text === null) throw new Error(`bad argument #${idx} (string expected)`);
  return text;
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
