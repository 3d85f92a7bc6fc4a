import { lauxlib, lua, type JsFunction, type LuaState } from 'fengari';
import { LuaReplyError } from './lua-values.js';

const NAME = /^[A-Za-z0-9_]+$/;
const NAME_RULE =
  'can only contain letters, numbers, or underscores(_) and must be at least one character long';

/**
 * A library's name from its shebang (`#!lua name=<lib>`), and its code with that line left
 * blank, so an error's line number is the line in the library.
 */
export function functionLibrary(source: string): { name: string; body: string } {
  const end = source.indexOf('\n');
  const first = end < 0 ? source : source.slice(0, end);
  if (!first.startsWith('#!')) throw new LuaReplyError('ERR Missing library metadata');
  const [engine = '', ...params] = first.slice(2).trim().split(/\s+/);
  if (engine.toLowerCase() !== 'lua') throw new LuaReplyError(`ERR Engine '${engine}' not found`);
  let name: string | undefined;
  for (const param of params) {
    if (!param.startsWith('name=')) {
      throw new LuaReplyError(`ERR Invalid metadata value given: ${param}`);
    }
    name = param.slice('name='.length);
  }
  if (name === undefined) throw new LuaReplyError('ERR Library name was not given');
  if (!NAME.test(name)) throw new LuaReplyError(`ERR Library names ${NAME_RULE}`);
  return { name, body: end < 0 ? '' : source.slice(end) };
}

/** What one FUNCTION LOAD registers, kept apart until the load succeeds. */
export interface Registration {
  /** redis.register_function, as `(name, callback)` or `{function_name=…, callback=…}`. */
  readonly register: JsFunction;
  /** Forgets what was registered (the load failed). */
  discard(): void;
}

interface Pending extends Registration {
  readonly functions: ReadonlyMap<string, number>;
}

/** The loaded libraries and their functions, each function a reference in the Lua registry. */
export class FunctionRegistry {
  readonly #L: LuaState;
  readonly #libraries = new Map<string, readonly string[]>();
  readonly #functions = new Map<string, { readonly library: string; readonly ref: number }>();

  constructor(L: LuaState) {
    this.#L = L;
  }

  has(library: string): boolean {
    return this.#libraries.has(library);
  }

  function(name: string): number | undefined {
    return this.#functions.get(name)?.ref;
  }

  begin(): Pending {
    const functions = new Map<string, number>();
    const register: JsFunction = (L) => {
      const callback = 2;
      if (lua.lua_gettop(L) === 1 && lua.lua_type(L, 1) === lua.LUA_TTABLE) {
        lua.lua_getfield(L, 1, 'function_name');
        lua.lua_getfield(L, 1, 'callback');
        lua.lua_remove(L, 1);
      } else if (lua.lua_gettop(L) !== 2) {
        throw new Error('wrong number of arguments to redis.register_function');
      }
      const name = lua.lua_type(L, 1) === lua.LUA_TSTRING ? lua.lua_tojsstring(L, 1) : '';
      if (!NAME.test(name)) throw new Error(`Function names ${NAME_RULE}`);
      if (lua.lua_type(L, callback) !== lua.LUA_TFUNCTION) {
        throw new Error('redis.register_function: the callback must be a function');
      }
      if (functions.has(name)) throw new Error('Function already exists in the library');
      lua.lua_pushvalue(L, callback);
      functions.set(name, lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX));
      return 0;
    };
    const discard = (): void => {
      for (const ref of functions.values()) lauxlib.luaL_unref(this.#L, lua.LUA_REGISTRYINDEX, ref);
      functions.clear();
    };
    return { register, discard, functions };
  }

  /** Makes a load's functions callable, in place of the library's old ones if it had any. */
  commit(library: string, load: Pending): void {
    if (load.functions.size === 0) {
      throw new LuaReplyError('ERR No functions registered');
    }
    for (const name of load.functions.keys()) {
      const owner = this.#functions.get(name);
      if (owner && owner.library !== library) {
        load.discard();
        throw new LuaReplyError(`ERR Function ${name} already exists`);
      }
    }
    for (const name of this.#libraries.get(library) ?? []) {
      const old = this.#functions.get(name);
      if (old) lauxlib.luaL_unref(this.#L, lua.LUA_REGISTRYINDEX, old.ref);
      this.#functions.delete(name);
    }
    for (const [name, ref] of load.functions) this.#functions.set(name, { library, ref });
    this.#libraries.set(library, [...load.functions.keys()]);
  }
}
