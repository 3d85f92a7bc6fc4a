import type { Redis } from 'ioredis';

/** Calls and microseconds per command, from INFO commandstats (server-wide, since a reset). */
export type CommandStats = ReadonlyMap<string, { readonly calls: number; readonly usec: number }>;

export async function commandStats(redis: Redis): Promise<CommandStats> {
  const info = await redis.info('commandstats');
  const out = new Map<string, { calls: number; usec: number }>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    out.set(m[1]!, { calls: Number(m[2]), usec: Number(m[3]) });
  }
  return out;
}

/** The commands that run the store's Lua: its library's functions, and scripts. */
const LUA_COMMANDS = new Set(['fcall', 'fcall_ro', 'evalsha', 'eval']);

/**
 * What Redis spent over the measured window. A command a function runs is counted both in the
 * function's time and on its own line, so the Lua itself is the functions' time less every
 * other command's (the workers' few plain reads included: Lua time is, if anything, under-
 * stated). Server-wide: run it on a Redis nothing else uses.
 */
export interface RedisCost {
  /** Calls of the Lua (FCALL, or EVALSHA before the library) and their mean time, µs. */
  luaCalls: number;
  usPerLuaCall: number;
  /** The mean time per Lua call of the commands inside (and of the plain reads), µs. */
  innerUsPerLuaCall: number;
  /** usPerLuaCall less innerUsPerLuaCall: the Lua's own work. */
  luaOwnUsPerCall: number;
  /** Every command Redis ran (a function and each command inside it counted once each). */
  commands: number;
  /** Round trips (Lua calls and plain commands from clients, not those inside functions). */
  luaCallsPerRelayed: number;
  /** Redis time, µs, per message relayed in the window. */
  usPerRelayed: number;
  /** The busiest Lua-side commands by time, "name calls µs/call". */
  top: string[];
}

export function redisCost(before: CommandStats, after: CommandStats, relayed: number): RedisCost {
  let luaCalls = 0;
  let luaUsec = 0;
  let otherUsec = 0;
  let commands = 0;
  const rows: { name: string; calls: number; usec: number }[] = [];
  for (const [name, a] of after) {
    const b = before.get(name) ?? { calls: 0, usec: 0 };
    const calls = a.calls - b.calls;
    const usec = a.usec - b.usec;
    if (calls <= 0) continue;
    commands += calls;
    rows.push({ name, calls, usec });
    if (LUA_COMMANDS.has(name)) {
      luaCalls += calls;
      luaUsec += usec;
    } else if (name !== 'info') {
      otherUsec += usec;
    }
  }
  const per = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10) / 10 : 0);
  rows.sort((x, y) => y.usec - x.usec);
  return {
    luaCalls,
    usPerLuaCall: per(luaUsec, luaCalls),
    innerUsPerLuaCall: per(otherUsec, luaCalls),
    luaOwnUsPerCall: per(luaUsec - otherUsec, luaCalls),
    commands,
    luaCallsPerRelayed: per(luaCalls, relayed),
    usPerRelayed: per(luaUsec, relayed),
    top: rows.slice(0, 8).map((r) => `${r.name} ${r.calls} ${per(r.usec, r.calls)}`),
  };
}
