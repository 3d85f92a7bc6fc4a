import { randomUUID } from 'node:crypto';
import RedisMock from 'ioredis-mock';
import type { RedisClient } from '../redis/lua-runner.js';

/**
 * The embedded default runs the Redis adapter itself, scripts included, over ioredis-mock: an
 * in-memory Redis whose EVAL runs Lua through fengari. So every rule is written once, in Lua.
 * Its Lua bridge differs from Redis in three ways, which `adaptScript` smooths over:
 *   - a missing value inside an array reply (HMGET of an absent field) arrives as a JS null
 *     object, truthy in Lua, where Redis gives `false`;
 *   - numbers arrive as Lua 5.3 floats, so `1 .. ''` would read "1.0";
 *   - its TIME is wrong (seconds rounded, microseconds from an unrelated clock): the runner
 *     passes the wall clock as a hidden last argument instead, as floats, since fengari's
 *     integers have 32 bits and milliseconds since 1970 need 41;
 *   - a table returned from a script reaches JS as an array only when built by a table
 *     constructor;
 *   - a number passed to a command is stored as a number, where Redis stores its text: numbers
 *     are turned into text first, as Redis does.
 * And it has no consumer groups: XADD to the journal is turned into an RPUSH of
 * "<seq>\x1f<field>\x1f<value>…", which `EmbeddedJournal` reads as its one reader (and XLEN
 * into LLEN).
 */
export function createEmbeddedRedis(): RedisClient {
  // ioredis-mock shares one dataset between instances of the same host and port; a host of
  // its own keeps each embedded engine apart.
  return new RedisMock({ host: `embedded-${randomUUID()}` });
}

/** Separates the fields of a journal entry in the embedded engine's list. */
export const FIELD_SEPARATOR = '\x1f';

/** The hidden last argument of every script on the embedded engine: the wall clock in ms. */
export const clockArgument = (): string => String(Date.now());

export function adaptScript(lua: string): string {
  return `${SHIM}
local function __main()
${lua}
end
local r = __main()
if type(r) == 'table' then return {table.unpack(r)} end
return r`;
}

const SHIM = `
local clock = tonumber(table.remove(ARGV)) + 0.0
local raw = redis.call
local NULL = raw('HMGET', '\\0', '\\0')[1]
local function norm(v)
  local t = type(v)
  if t == 'number' then return math.tointeger(v) or v end
  if t ~= 'userdata' then return v end
  if v == NULL then return false end
  local out = {}
  for i = 1, #v do out[i] = norm(v[i]) end
  return out
end
local function text(v)
  if type(v) ~= 'number' then return v end
  if v == math.floor(v) then return string.format('%.0f', v) end
  return tostring(v)
end
redis.call = function(cmd, key, ...)
  local args = {...}
  for i = 1, #args do args[i] = text(args[i]) end
  key = text(key)
  if cmd == 'TIME' then
    local s = math.floor(clock / 1000) + 0.0
    return {s, (clock - s * 1000) * 1000}
  end
  if cmd == 'XADD' then
    local fields, start = {}, 1
    while args[start] ~= '*' do start = start + 1 end
    fields[1] = norm(raw('INCR', key .. ':seq'))
    for i = start + 1, #args do fields[#fields + 1] = tostring(args[i]) end
    raw('RPUSH', key, table.concat(fields, '${'\\x1f'}'))
    return fields[1]
  end
  if cmd == 'XLEN' then return raw('LLEN', key) end
  return norm(raw(cmd, key, unpack(args)))
end
`;

/** Placeholder until the embedded engine runs the library. */
export function embeddedEngine(_client: RedisClient): import('../redis/lua-runner.js').LuaEngine {
  const fail = () => Promise.reject(new Error('ERR the embedded engine cannot run functions yet'));
  return { fcall: fail, versions: fail, load: fail };
}
