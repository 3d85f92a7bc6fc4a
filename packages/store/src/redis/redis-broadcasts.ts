import type { Outgoing } from '@hamdam/domain';
import type {
  BroadcastPage,
  BroadcastRequest,
  Broadcasts,
  BroadcastStatus,
  BroadcastCancelResult,
  BroadcastStartResult,
} from '../broadcasts.js';
import { KEY } from './keys.js';
import { luaFunction, oneOf, updateArgs } from './lua-function.js';
import type { LuaRunner } from './lua-runner.js';

const STATES: readonly string[] = [
  'running',
  'done',
  'cancelled',
] satisfies BroadcastStatus['state'][];
const isState = (v: unknown): v is BroadcastStatus['state'] =>
  typeof v === 'string' && STATES.includes(v);

export const BC_START = luaFunction(
  'bcStart',
  ['admin', 'queue', 'update', 'call', 'total'],
  oneOf('bcStart', ['started', 'busy', 'duplicate']),
);

export const BC_CANCEL = luaFunction(
  'bcCancel',
  ['admin', 'queue', 'update'],
  oneOf('bcCancel', ['cancelled', 'not-running', 'duplicate']),
);

export const BC_ENQUEUE = luaFunction(
  'bcEnqueue',
  ['holder', 'after', 'cursor', 'last', '...chats'],
  (reply) => reply === 'queued',
);

export const BC_CHECK = luaFunction('bcCheck', ['every'], (reply) =>
  isState(reply) ? reply : null,
);

/** The admin's update, as a broadcast function takes it. */
function adminArgs(request: BroadcastRequest): { admin: number; queue: string; update: string } {
  const { chat, queue, update } = updateArgs(request.chatId, request.stamp);
  return { admin: chat, queue, update };
}

export class RedisBroadcasts implements Broadcasts {
  readonly #lua: LuaRunner;

  constructor(lua: LuaRunner) {
    this.#lua = lua;
  }

  start(request: BroadcastRequest, call: Outgoing, total: number): Promise<BroadcastStartResult> {
    return this.#lua.run(BC_START, { ...adminArgs(request), call: JSON.stringify(call), total });
  }

  cancel(request: BroadcastRequest): Promise<BroadcastCancelResult> {
    return this.#lua.run(BC_CANCEL, adminArgs(request));
  }

  async status(): Promise<BroadcastStatus | null> {
    const key = this.#lua.key(KEY.broadcast);
    const v = await this.#lua.command(() => this.#lua.client.hgetall(key));
    const state = v['state'];
    if (!isState(state)) return null;
    const n = (name: string) => Number(v[name] ?? 0);
    return {
      state,
      admin: n('admin'),
      cursor: n('cursor'),
      total: n('total'),
      queued: n('queued'),
      sent: n('sent'),
      failed: n('failed'),
      allQueued: v['all'] === '1',
    };
  }

  enqueue(page: BroadcastPage): Promise<boolean> {
    return this.#lua.run(BC_ENQUEUE, {
      holder: page.owner,
      after: page.after,
      cursor: page.cursor,
      last: page.last ? 1 : '',
      chats: page.chats,
    });
  }

  check(progressEveryMs: number): Promise<BroadcastStatus['state'] | null> {
    return this.#lua.run(BC_CHECK, { every: progressEveryMs });
  }
}
