import type { Claimed, Delivered, Outbox, SayRequest, Settled } from '../outbox.js';
import { decodeItem, encodePayload, languageOr, payloadList } from '../payload.js';
import { KEY } from './keys.js';
import {
  asList,
  luaFunction,
  oneOf,
  optionalNumber,
  updateArgs,
  UPDATE_ARGS,
  type Reply,
} from './lua-function.js';
import type { LuaRunner } from './lua-runner.js';

export const SAY = luaFunction(
  'say',
  [...UPDATE_ARGS, '...payloads'],
  oneOf('say', ['said', 'duplicate', 'banned', 'flooded']),
);

export const SETTLE = luaFunction('settle', ['limit', 'lease', '...delivered'], settled);

export const DEFER = luaFunction(
  'defer',
  ['chat', 'entry', 'at'],
  (reply): 'deferred' | 'dropped' => (reply === 2 ? 'dropped' : 'deferred'),
);

export const RENEW = luaFunction('renew', ['lease', '...held'], () => undefined);

/** The next due time, then chat, entry, language and resolved id of every head taken. */
function settled(reply: Reply): Settled {
  const flat = asList(reply);
  const claimed: Claimed[] = [];
  for (let i = 1; i + 3 < flat.length; i += 4) {
    const entry = String(flat[i + 1]);
    const space = entry.indexOf(' ');
    claimed.push({
      chatId: Number(flat[i]),
      entryId: entry.slice(0, space),
      item: decodeItem(entry.slice(space + 1)),
      lang: languageOr(flat[i + 2], 'en'),
      resolvedId: optionalNumber(flat[i + 3]),
    });
  }
  return { claimed, nextDue: optionalNumber(flat[0]) };
}

export class RedisOutbox implements Outbox {
  readonly #lua: LuaRunner;

  constructor(lua: LuaRunner) {
    this.#lua = lua;
  }

  say(request: SayRequest): Promise<'said' | 'duplicate' | 'banned' | 'flooded'> {
    return this.#lua.run(SAY, {
      ...updateArgs(request.chatId, request.stamp),
      payloads: payloadList(request.payload).map(encodePayload),
    });
  }

  settle(delivered: readonly Delivered[], limit: number, leaseMs: number): Promise<Settled> {
    return this.#lua.run(SETTLE, {
      limit,
      lease: leaseMs,
      delivered: delivered.flatMap((d) => [
        d.chatId,
        d.entryId,
        d.copies?.from ?? '',
        d.copies?.pairs.map(([source, copy]) => `${source}:${copy}`).join(',') ?? '',
        d.failed ? 1 : '',
      ]),
    });
  }

  async claim(limit: number, leaseMs: number): Promise<Claimed[]> {
    return (await this.settle([], limit, leaseMs)).claimed;
  }

  async ack(chatId: number, entryId: string): Promise<void> {
    await this.settle([{ chatId, entryId }], 0, 0);
  }

  defer(chatId: number, entryId: string, dueAt: number): Promise<'deferred' | 'dropped'> {
    return this.#lua.run(DEFER, { chat: chatId, entry: entryId, at: Math.ceil(dueAt) });
  }

  async renew(
    held: readonly Pick<Delivered, 'chatId' | 'entryId'>[],
    leaseMs: number,
  ): Promise<void> {
    if (held.length === 0) return;
    await this.#lua.run(RENEW, {
      lease: leaseMs,
      held: held.flatMap((h) => [h.chatId, h.entryId]),
    });
  }

  async nextDue(): Promise<number | null> {
    const key = this.#lua.key(KEY.ready);
    const [, score] = await this.#lua.command(() =>
      this.#lua.client.zrange(key, 0, 0, 'WITHSCORES'),
    );
    return score === undefined ? null : Number(score);
  }

  async pending(chatId: number): Promise<{ notices: number; copies: number }> {
    const client = this.#lua.client;
    const [notices, copies] = await this.#lua.command(() =>
      Promise.all([
        client.llen(this.#lua.key(KEY.notices, chatId)),
        client.llen(this.#lua.key(KEY.copies, chatId)),
      ]),
    );
    return { notices, copies };
  }
}
