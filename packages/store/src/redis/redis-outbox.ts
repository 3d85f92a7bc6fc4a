import type { Claimed, Delivered, Outbox, SayRequest, Settled } from '../outbox.js';
import { decodeItem, encodePayload, languageOr, payloadList } from '../payload.js';
import { KEY } from './keys.js';
import { asList, optionalNumber, unexpected, type ScriptRunner } from './script-runner.js';

export class RedisOutbox implements Outbox {
  readonly #redis: ScriptRunner;

  constructor(redis: ScriptRunner) {
    this.#redis = redis;
  }

  async say(request: SayRequest): Promise<'said' | 'duplicate' | 'banned' | 'flooded'> {
    const [kind] = await this.#redis.step(
      'hamdamSay',
      request.chatId,
      request.stamp,
      ...payloadList(request.payload).map(encodePayload),
    );
    if (kind === 'said' || kind === 'duplicate' || kind === 'banned' || kind === 'flooded')
      return kind;
    throw unexpected('say', kind);
  }

  async settle(delivered: readonly Delivered[], limit: number, leaseMs: number): Promise<Settled> {
    const flat = asList(
      await this.#redis.script(
        'hamdamSettle',
        limit,
        leaseMs,
        ...delivered.flatMap((d) => [
          d.chatId,
          d.entryId,
          d.copies?.from ?? '',
          d.copies?.pairs.map(([source, copy]) => `${source}:${copy}`).join(',') ?? '',
          d.failed ? 1 : '',
        ]),
      ),
    );
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

  async claim(limit: number, leaseMs: number): Promise<Claimed[]> {
    return (await this.settle([], limit, leaseMs)).claimed;
  }

  async ack(chatId: number, entryId: string): Promise<void> {
    await this.settle([{ chatId, entryId }], 0, 0);
  }

  async defer(chatId: number, entryId: string, dueAt: number): Promise<'deferred' | 'dropped'> {
    const reply = await this.#redis.script('hamdamDefer', chatId, entryId, Math.ceil(dueAt));
    return reply === 2 ? 'dropped' : 'deferred';
  }

  async renew(
    held: readonly Pick<Delivered, 'chatId' | 'entryId'>[],
    leaseMs: number,
  ): Promise<void> {
    if (held.length === 0) return;
    await this.#redis.script('hamdamRenew', leaseMs, ...held.flatMap((h) => [h.chatId, h.entryId]));
  }

  async nextDue(): Promise<number | null> {
    const key = this.#redis.key(KEY.ready);
    const [, score] = await this.#redis.call(() =>
      this.#redis.client.zrange(key, 0, 0, 'WITHSCORES'),
    );
    return score === undefined ? null : Number(score);
  }

  async pending(chatId: number): Promise<{ notices: number; copies: number }> {
    const client = this.#redis.client;
    const [notices, copies] = await this.#redis.call(() =>
      Promise.all([
        client.llen(this.#redis.key(KEY.notices, chatId)),
        client.llen(this.#redis.key(KEY.copies, chatId)),
      ]),
    );
    return { notices, copies };
  }
}
