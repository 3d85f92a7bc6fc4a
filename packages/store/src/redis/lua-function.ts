import type { Stamp } from '@hamdam/domain';
import { StoreCorruptError } from '../errors.js';

/** What a function answers, as both engines hand it over. */
export type Reply = string | number | null | Reply[];

export type ArgValue = string | number;

/** A function's arguments by name; a name '...x' declares the rest, passed as the list x. */
export type ArgsOf<A extends readonly string[]> = {
  readonly [N in Exclude<A[number], `...${string}`>]: ArgValue;
} & {
  readonly [N in A[number] as N extends `...${infer R}` ? R : never]: readonly ArgValue[];
};

/**
 * One function of the Lua library, declared once: its name, its arguments in the order the Lua
 * names them (`fn('name', {...})` in packages/store/lua; functions.test.ts holds the two
 * together), and the decoder of its answer, which types the call. Every call also carries the
 * key prefix and the limits ahead of these, and one key: the outbox schedule of the prefix's
 * slot, so a Cluster routes the call to the node holding the prefix.
 */
export interface LuaFunction<A extends readonly string[] = readonly string[], R = unknown> {
  readonly name: string;
  readonly args: A;
  readonly decode: (reply: Reply) => R;
}

export function luaFunction<const A extends readonly string[], R>(
  name: string,
  args: A,
  decode: (reply: Reply) => R,
): LuaFunction<A, R> {
  return { name, args, decode };
}

/** The arguments a function run for a user's update starts with (see `gate` in flood.lua). */
export const UPDATE_ARGS = ['chat', 'queue', 'update'] as const;

/** Those arguments for an update (its Telegram queue and id), or for the bot's own follow-up. */
export function updateArgs(
  chatId: number,
  stamp: Stamp | null,
): { chat: number; queue: string; update: string } {
  return { chat: chatId, queue: stamp?.queue ?? '', update: stamp ? String(stamp.updateId) : '' };
}

/** The positional arguments of a call, in the order the declaration names them. */
export function positional<A extends readonly string[]>(
  fn: LuaFunction<A, unknown>,
  values: ArgsOf<A>,
): string[] {
  const byName = values as unknown as Record<string, ArgValue | readonly ArgValue[]>;
  const out: string[] = [];
  for (const name of fn.args) {
    if (name.startsWith('...')) {
      for (const v of byName[name.slice(3)] as readonly ArgValue[]) out.push(String(v));
    } else {
      out.push(String(byName[name]));
    }
  }
  return out;
}

/** Redis's answer to a call of a function it does not have (after a flush, a restart without it). */
export function isMissingFunction(err: unknown): boolean {
  return /Function not found/i.test(err instanceof Error ? err.message : String(err));
}

export function asList(reply: Reply): Reply[] {
  if (!Array.isArray(reply)) throw new StoreCorruptError('a function answered a non-list');
  return reply;
}

/** What the gate answers for an update it stops (flood.lua). */
export type CommonResult = { kind: 'duplicate' } | { kind: 'banned' } | { kind: 'flooded' };

/** The answers any function run for a user's update may give, or null for its own. */
export function commonResult(kind: Reply | undefined): CommonResult | null {
  return kind === 'duplicate' || kind === 'banned' || kind === 'flooded' ? { kind } : null;
}

/** A decoder of an answer that is one of `kinds`: the answer itself, or the first of a list. */
export function oneOf<const K extends string>(fn: string, kinds: readonly K[]) {
  return (reply: Reply): K => {
    const kind = Array.isArray(reply) ? reply[0] : reply;
    if (kinds.includes(kind as K)) return kind as K;
    throw unexpected(fn, kind);
  };
}

export function unexpected(fn: string, kind: Reply | undefined): StoreCorruptError {
  return new StoreCorruptError(`${fn} answered ${String(kind)}`);
}

export function optionalNumber(value: Reply | undefined): number | null {
  return value === undefined || value === null || value === '' ? null : Number(value);
}
