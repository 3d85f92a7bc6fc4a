import { lua, type LuaState } from 'fengari';
import { absolute, pushNumber } from './lua-values.js';

/**
 * Redis's `cjson` (lua-cjson) for the embedded engine, on JS's JSON: a table whose keys are
 * exactly 1..n is an array (holes as null, unless excessively sparse), an empty table is `{}`,
 * any other table an object; JSON null decodes to `cjson.null`, a light userdata.
 */
export const JSON_NULL = Object.freeze({ cjson: 'null' });

const MAX_DEPTH = 1000;

export function encodeJson(L: LuaState, idx: number): string {
  return JSON.stringify(toJson(L, absolute(L, idx), 1));
}

export function pushJson(L: LuaState, text: string): void {
  push(L, JSON.parse(text) as unknown);
}

function toJson(L: LuaState, idx: number, depth: number): unknown {
  const type = lua.lua_type(L, idx);
  switch (type) {
    case lua.LUA_TNIL:
      return null;
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, idx);
    case lua.LUA_TNUMBER: {
      const n = lua.lua_tonumber(L, idx);
      if (!Number.isFinite(n)) {
        throw new Error('Cannot serialise number: must not be NaN or Infinity');
      }
      return n;
    }
    case lua.LUA_TSTRING:
      return lua.lua_tojsstring(L, idx);
    case lua.LUA_TLIGHTUSERDATA:
      if (lua.lua_touserdata(L, idx) === JSON_NULL) return null;
      break;
    case lua.LUA_TTABLE:
      if (depth > MAX_DEPTH) {
        throw new Error(`Cannot serialise, excessive nesting (${MAX_DEPTH + 1})`);
      }
      return tableToJson(L, idx, depth);
  }
  throw new Error(`Cannot serialise ${typeName(type)}: type not supported`);
}

function tableToJson(L: LuaState, t: number, depth: number): unknown {
  const entries: [string | number, unknown][] = [];
  let arrayLike = true;
  let max = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, t)) {
    // The key stays a number or string as read: converting it in place would break lua_next.
    const keyType = lua.lua_type(L, -2);
    let key: string | number;
    if (keyType === lua.LUA_TSTRING) {
      key = lua.lua_tojsstring(L, -2);
      arrayLike = false;
    } else if (keyType === lua.LUA_TNUMBER) {
      key = lua.lua_tonumber(L, -2);
      if (Number.isInteger(key) && key >= 1) max = Math.max(max, key);
      else arrayLike = false;
    } else {
      throw new Error('Cannot serialise table: table key must be a number or string');
    }
    entries.push([key, toJson(L, absolute(L, -1), depth + 1)]);
    lua.lua_pop(L, 1);
  }
  if (entries.length === 0) return {};
  if (arrayLike) {
    // lua-cjson's defaults: an array may have holes, but not mostly holes.
    if (max > entries.length * 2 && max > 10) {
      throw new Error('Cannot serialise table: excessively sparse array');
    }
    const array: unknown[] = new Array<unknown>(max).fill(null);
    for (const [key, value] of entries) array[(key as number) - 1] = value;
    return array;
  }
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    object[typeof key === 'string' ? key : String(Number(key.toPrecision(14)))] = value;
  }
  return object;
}

function push(L: LuaState, value: unknown): void {
  if (value === null) lua.lua_pushlightuserdata(L, JSON_NULL);
  else if (typeof value === 'boolean') lua.lua_pushboolean(L, value);
  else if (typeof value === 'number') pushNumber(L, value);
  else if (typeof value === 'string') lua.lua_pushstring(L, value);
  else if (Array.isArray(value)) {
    lua.lua_createtable(L, value.length, 0);
    value.forEach((item, i) => {
      push(L, item);
      lua.lua_rawseti(L, -2, i + 1);
    });
  } else {
    const entries = Object.entries(value as Record<string, unknown>);
    lua.lua_createtable(L, 0, entries.length);
    for (const [key, item] of entries) {
      lua.lua_pushstring(L, key);
      push(L, item);
      lua.lua_rawset(L, -3);
    }
  }
}

function typeName(type: number): string {
  return type === lua.LUA_TFUNCTION
    ? 'function'
    : type === lua.LUA_TLIGHTUSERDATA
      ? 'userdata'
      : 'value';
}
