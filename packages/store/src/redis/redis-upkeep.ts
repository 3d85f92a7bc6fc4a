import type { ClusterStats, SweepResult, Upkeep } from '../upkeep.js';
import { asList, luaFunction, type Reply } from './lua-function.js';
import type { LuaRunner } from './lua-runner.js';

export const LEASE = luaFunction('lease', ['owner', 'ms'], (reply) => reply === 1);
export const RELEASE = luaFunction('release', ['owner'], () => undefined);

export const SWEEP = luaFunction('sweep', ['limit'], (reply): SweepResult => {
  const [ended, expired, matched, waited, taken] = asList(reply).map(Number);
  return {
    idleChatsEnded: ended ?? 0,
    queueExpired: expired ?? 0,
    matched: matched ?? 0,
    matchedWaitedMs: waited ?? 0,
    taken: taken ?? 0,
  };
});

export const STATS = luaFunction('stats', ['window'], (reply): ClusterStats => statsOf(reply));

export class RedisUpkeep implements Upkeep {
  readonly #lua: LuaRunner;

  constructor(lua: LuaRunner) {
    this.#lua = lua;
  }

  holdLease(owner: string, ms: number): Promise<boolean> {
    return this.#lua.run(LEASE, { owner, ms });
  }

  releaseLease(owner: string): Promise<void> {
    return this.#lua.run(RELEASE, { owner });
  }

  sweep(limit: number): Promise<SweepResult> {
    return this.#lua.run(SWEEP, { limit });
  }

  stats(onlineWindowMs: number): Promise<ClusterStats> {
    return this.#lua.run(STATS, { window: onlineWindowMs });
  }
}

function statsOf(reply: Reply): ClusterStats {
  const [online, flat, firstDue, now, before, journal, ...buckets] = asList(reply);
  const counters = parseFlat(flat);
  const prev = parseFlat(before);
  const elapsed = Number(now) - (prev['_at'] ?? Number(now));
  const perMinute = (name: string) =>
    elapsed >= 1_000 ? (((counters[name] ?? 0) - (prev[name] ?? 0)) * 60_000) / elapsed : 0;
  const waiting: Record<string, number> = {};
  for (let i = 0; i + 1 < buckets.length; i += 2)
    waiting[String(buckets[i])] = Number(buckets[i + 1]);
  const due = firstDue === '' || firstDue === null ? null : Number(firstDue);
  return {
    online: Number(online),
    chatting: Math.max(0, counters['chatting'] ?? 0),
    waiting,
    counters,
    owed: Math.max(0, counters['owed'] ?? 0),
    lagMs: due === null ? 0 : Math.max(0, Number(now) - due),
    journal: Number(journal),
    perMinute: { matches: perMinute('matches'), messages: perMinute('messages') },
  };
}

function parseFlat(flat: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  const parts = typeof flat === 'string' ? flat.split(',') : [];
  for (let i = 0; i + 1 < parts.length; i += 2) out[parts[i]!] = Number(parts[i + 1]);
  return out;
}
