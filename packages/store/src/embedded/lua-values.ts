import { lua, type LuaState } from 'fengari';

/** What a script or function answers, as ioredis hands a Redis reply to JS. */
export type Reply = string | number | null | Reply[];

/**
 * An error reply of the embedded engine. Named like the error ioredis raises for a Redis error
 * reply, so the store sorts a failed script the same way on both engines (a bug, not an outage).
 */
export class LuaReplyError extends Error {
  override readonly name = 'ReplyError';
}

// fengari's integers have 32 bits; a whole number outside them stays a float.
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

export function pushNumber(L: LuaState, n: number): void {
  if (Number.isInteger(n) && n >= INT_MIN && n <= INT_MAX) lua.lua_pushinteger(L, n);
  else lua.lua_pushnumber(L, n);
}

export function pushStrings(L: LuaState, values: readonly string[]): void {
  lua.lua_createtable(L, values.length, 0);
  values.forEach((value, i) => {
    lua.lua_pushstring(L, value);
    lua.lua_rawseti(L, -2, i + 1);
  });
}

/**
 * Pushes an ioredis-mock command's answer the way Redis hands a reply to Lua: nil as `false`
 * (inside arrays too), whole numbers as integers, a hash (HGETALL) as a flat list.
 */
export function pushCommandReply(L: LuaState, value: unknown): void {
  if (value === null || value === undefined || value === false) lua.lua_pushboolean(L, false);
  else if (value === true) lua.lua_pushinteger(L, 1);
  else if (typeof value === 'number') pushNumber(L, value);
  else if (typeof value === 'string' || value instanceof Uint8Array) lua.lua_pushstring(L, value);
  else if (Array.isArray(value)) pushList(L, value);
  else if (typeof value === 'object') pushList(L, Object.entries(value).flat());
  else throw new Error(`ERR the embedded engine cannot hand a ${typeof value} to Lua`);
}

function pushList(L: LuaState, values: readonly unknown[]): void {
  lua.lua_createtable(L, values.length, 0);
  values.forEach((value, i) => {
    pushCommandReply(L, value);
    lua.lua_rawseti(L, -2, i + 1);
  });
}

/**
 * A command argument as the text Redis would receive: a string as is, a number as its Redis
 * text (a whole number without ".0", a fraction as Lua's `tostring` writes it). Null for any
 * other type, which Redis refuses.
 */
export function argumentText(L: LuaState, idx: number): string | null {
  const type = lua.lua_type(L, idx);
  if (type === lua.LUA_TSTRING) return lua.lua_tojsstring(L, idx);
  if (type !== lua.LUA_TNUMBER) return null;
  if (lua.lua_isinteger(L, idx)) return String(lua.lua_tointeger(L, idx));
  const n = lua.lua_tonumber(L, idx);
  if (Number.isInteger(n)) return BigInt(n).toString();
  // A copy, since converting a number to text in place would change the caller's value.
  lua.lua_pushvalue(L, idx);
  const text = lua.lua_tojsstring(L, -1);
  lua.lua_pop(L, 1);
  return text;
}

/**
 * The value at `idx` as Redis turns a script's answer into a reply: a number truncated to an
 * integer, true as 1, false and nil as null, a table `{err=…}` as an error, `{ok=…}` as its
 * status text, any other table as the list of its items 1..n (up to the first nil).
 */
export function readReply(L: LuaState, idx: number): Reply {
  switch (lua.lua_type(L, idx)) {
    case lua.LUA_TSTRING:
      return lua.lua_tojsstring(L, idx);
    case lua.LUA_TNUMBER:
      return Math.trunc(lua.lua_tonumber(L, idx));
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, idx) ? 1 : null;
    case lua.LUA_TTABLE:
      return readTable(L, absolute(L, idx));
    default:
      return null;
  }
}

function readTable(L: LuaState, t: number): Reply {
  const err = rawField(L, t, 'err');
  if (err !== null) throw new LuaReplyError(err);
  const ok = rawField(L, t, 'ok');
  if (ok !== null) return ok;
  const out: Reply[] = [];
  for (let i = 1; lua.lua_rawgeti(L, t, i) !== lua.LUA_TNIL; i++) {
    try {
      out.push(readReply(L, -1));
    } finally {
      lua.lua_pop(L, 1);
    }
  }
  lua.lua_pop(L, 1);
  return out;
}

/** The string at `t[name]`, without metamethods, or null. */
export function rawField(L: LuaState, t: number, name: string): string | null {
  lua.lua_pushstring(L, name);
  const type = lua.lua_rawget(L, t);
  const value = type === lua.LUA_TSTRING ? lua.lua_tojsstring(L, -1) : null;
  lua.lua_pop(L, 1);
  return value;
}

export function absolute(L: LuaState, idx: number): number {
  return idx < 0 ? lua.lua_gettop(L) + idx + 1 : idx;
}
