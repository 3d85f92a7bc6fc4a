// The part of fengari (Lua 5.3 in JavaScript) the embedded engine uses; fengari ships no types.
// Strings cross as JS strings or as Lua byte strings (Uint8Array).
declare module 'fengari' {
  export type LuaState = { readonly __luaState: unique symbol };
  export type LuaString = Uint8Array;
  export type JsFunction = (L: LuaState) => number;

  interface Lua {
    readonly LUA_OK: 0;
    readonly LUA_MULTRET: -1;
    readonly LUA_REGISTRYINDEX: number;
    readonly LUA_TNIL: 0;
    readonly LUA_TBOOLEAN: 1;
    readonly LUA_TLIGHTUSERDATA: 2;
    readonly LUA_TNUMBER: 3;
    readonly LUA_TSTRING: 4;
    readonly LUA_TTABLE: 5;
    readonly LUA_TFUNCTION: 6;

    lua_gettop(L: LuaState): number;
    lua_settop(L: LuaState, idx: number): void;
    lua_pop(L: LuaState, n: number): void;
    lua_pushvalue(L: LuaState, idx: number): void;
    lua_remove(L: LuaState, idx: number): void;
    lua_type(L: LuaState, idx: number): number;
    lua_isinteger(L: LuaState, idx: number): boolean;
    lua_toboolean(L: LuaState, idx: number): boolean;
    lua_tonumber(L: LuaState, idx: number): number;
    lua_tointeger(L: LuaState, idx: number): number;
    lua_tojsstring(L: LuaState, idx: number): string;
    lua_touserdata(L: LuaState, idx: number): unknown;
    lua_pushnil(L: LuaState): void;
    lua_pushboolean(L: LuaState, b: boolean): void;
    lua_pushinteger(L: LuaState, n: number): void;
    lua_pushnumber(L: LuaState, n: number): void;
    lua_pushstring(L: LuaState, s: string | LuaString): void;
    lua_pushjsfunction(L: LuaState, fn: JsFunction): void;
    lua_pushlightuserdata(L: LuaState, p: object): void;
    lua_createtable(L: LuaState, narr: number, nrec: number): void;
    lua_rawgeti(L: LuaState, idx: number, n: number): number;
    lua_rawseti(L: LuaState, idx: number, n: number): void;
    lua_rawget(L: LuaState, idx: number): number;
    lua_rawset(L: LuaState, idx: number): void;
    lua_getfield(L: LuaState, idx: number, k: string): number;
    lua_setfield(L: LuaState, idx: number, k: string): void;
    lua_getglobal(L: LuaState, name: string): number;
    lua_setglobal(L: LuaState, name: string): void;
    lua_setmetatable(L: LuaState, idx: number): void;
    lua_setupvalue(L: LuaState, funcindex: number, n: number): string | null;
    lua_next(L: LuaState, idx: number): boolean;
    lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
    lua_error(L: LuaState): never;
    lua_atnativeerror(L: LuaState, fn: JsFunction): JsFunction | undefined;
  }

  interface LauxLib {
    luaL_newstate(): LuaState;
    luaL_loadbuffer(L: LuaState, s: LuaString, sz: number | null, name: string): number;
    luaL_ref(L: LuaState, t: number): number;
    luaL_unref(L: LuaState, t: number, ref: number): void;
    luaL_where(L: LuaState, level: number): void;
  }

  interface LuaLib {
    luaL_openlibs(L: LuaState): void;
  }

  export const lua: Lua;
  export const lauxlib: LauxLib;
  export const lualib: LuaLib;
  export function to_luastring(s: string): LuaString;
}
