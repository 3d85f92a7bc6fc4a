import type { Cluster, Redis } from 'ioredis';
import { StoreCorruptError, StoreScriptError, StoreUnavailableError } from '../errors.js';
import { KEY, PREFIX_PATTERN } from './keys.js';
import { DEFER, SAY, SETTLE } from './outbox-scripts.js';
import { BLOCKED, FIND, PROFILE, RELAY, STOP } from './pairing-scripts.js';

/** A Redis connection: one node, a Cluster, or the embedded engine speaking the same API. */
export type RedisClient = Redis | Cluster;

/** Every script, by the command name it is defined under. */
export const SCRIPTS = {
  hamdamFind: FIND,
  hamdamStop: STOP,
  hamdamRelay: RELAY,
  hamdamProfile: PROFILE,
  hamdamBlocked: BLOCKED,
  hamdamSay: SAY,
  hamdamSettle: SETTLE,
  hamdamDefer: DEFER,
} as const;
export type ScriptName = keyof typeof SCRIPTS;

export type Reply = string | number | null | Reply[];
type Scripted = Record<ScriptName, (key: string, ...args: string[]) => Promise<Reply>>;

export interface ScriptRunnerOptions {
  /** Key prefix with exactly one hash tag, e.g. `hamdam:{h}:`. */
  readonly prefix: string;
  /** Adapts a script to an engine that is not Redis itself (the embedded one); identity otherwise. */
  readonly adapt?: (lua: string) => string;
  /** An argument appended to every script call, for an engine whose adaptation expects one. */
  readonly trailingArgument?: () => string;
}

/** Server answers that mean "not now" rather than "wrong": memory full, failover, loading. */
const TRANSIENT_REPLY = /^(OOM|LOADING|READONLY|CLUSTERDOWN|MASTERDOWN|TRYAGAIN|BUSY|NOREPLICAS)/;

/**
 * The one way the adapters reach Redis: scripts by name with the prefix prepended, and plain
 * commands, both with errors sorted by where they failed (unreachable vs a bug).
 */
export class ScriptRunner {
  readonly client: RedisClient;
  readonly prefix: string;
  readonly #trailing: (() => string) | undefined;

  constructor(client: RedisClient, options: ScriptRunnerOptions) {
    if (!PREFIX_PATTERN.test(options.prefix)) {
      throw new TypeError(
        `Redis key prefix must carry exactly one hash tag, got "${options.prefix}"`,
      );
    }
    this.client = client;
    this.prefix = options.prefix;
    this.#trailing = options.trailingArgument;
    const adapt = options.adapt ?? ((lua: string) => lua);
    for (const [name, lua] of Object.entries(SCRIPTS)) {
      if (!(name in client)) client.defineCommand(name, { numberOfKeys: 1, lua: adapt(lua) });
    }
  }

  key(kind: string, id?: number | string): string {
    return id === undefined ? this.prefix + kind : `${this.prefix}${kind}${id}`;
  }

  script(name: ScriptName, ...args: (string | number)[]): Promise<Reply> {
    const fn = (this.client as unknown as Scripted)[name].bind(this.client);
    const all = [this.prefix, ...args.map(String)];
    if (this.#trailing) all.push(this.#trailing());
    return this.call(() => fn(this.key(KEY.ready), ...all));
  }

  async call<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw classify(err);
    }
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

export function asList(reply: Reply): Reply[] {
  if (!Array.isArray(reply)) throw new StoreCorruptError('script answered a non-list');
  return reply;
}

export function optionalNumber(value: Reply | undefined): number | null {
  return value === undefined || value === null || value === '' ? null : Number(value);
}

/** A script error or a protocol surprise is a bug; everything else means Redis is out of reach. */
function classify(err: unknown): unknown {
  if (err instanceof StoreCorruptError) return err;
  const name = err instanceof Error ? err.name : '';
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'ReplyError' && !TRANSIENT_REPLY.test(message)) {
    return new StoreScriptError(message, { cause: err });
  }
  return new StoreUnavailableError('Redis did not answer', { cause: err });
}
