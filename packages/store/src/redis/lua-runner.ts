import type { Cluster, Redis } from 'ioredis';
import {
  StoreCorruptError,
  StoreScriptError,
  StoreUnavailableError,
  StoreVersionError,
} from '../errors.js';
import { LIMIT_ORDER, type StoreLimits } from '../state-store.js';
import { KEY, PREFIX_PATTERN } from './keys.js';
import { LIBRARY_SOURCE, LIBRARY_VERSION } from './library.js';
import type { Sender } from '../outbox.js';
import { heads } from './redis-outbox.js';
import {
  asList,
  isMissingFunction,
  positional,
  type ArgsOf,
  type LuaFunction,
  type Reply,
} from './lua-function.js';

/** A Redis connection: one node, a Cluster, or the embedded engine speaking the same API. */
export type RedisClient = Redis | Cluster;

/** Where the library runs: Redis (one node or every master of a Cluster), or the embedded engine. */
export interface LuaEngine {
  /** Calls a function of the library. */
  fcall(name: string, keys: readonly string[], args: readonly string[]): Promise<Reply>;
  /** The version of the library loaded where functions run, null where none is. */
  versions(): Promise<(number | null)[]>;
  /** Loads the library everywhere functions run, replacing what was there. */
  load(source: string): Promise<void>;
}

export interface LuaRunnerOptions {
  /** Key prefix with exactly one hash tag, e.g. `hamdam:{h}:`. */
  readonly prefix: string;
  /** The numbers the rules run on, handed to every function. */
  readonly limits: StoreLimits;
  /** Told the round trip of every call, in seconds. */
  readonly observe?: (seconds: number) => void;
}

/** Server answers that mean "not now" rather than "wrong": memory full, failover, loading. */
const TRANSIENT_REPLY = /^(OOM|LOADING|READONLY|CLUSTERDOWN|MASTERDOWN|TRYAGAIN|BUSY|NOREPLICAS)/;

/**
 * The one way the adapters reach Redis: the library's functions by declaration, with the
 * prefix and limits prepended, and plain commands; errors sorted by where they failed
 * (unreachable vs a bug). The library is loaded before the first call, and again when a node
 * answers that it does not have it; a node running a newer library than this code knows is
 * refused (StoreVersionError).
 */
export class LuaRunner {
  readonly client: RedisClient;
  readonly prefix: string;
  readonly #engine: LuaEngine;
  readonly #limits: string;
  readonly #keys: readonly string[];
  readonly #observe: ((seconds: number) => void) | undefined;
  #sender: Sender | null = null;
  #loaded = false;
  #loading: Promise<void> | null = null;

  constructor(client: RedisClient, engine: LuaEngine, options: LuaRunnerOptions) {
    if (!PREFIX_PATTERN.test(options.prefix)) {
      throw new TypeError(
        `Redis key prefix must carry exactly one hash tag, got "${options.prefix}"`,
      );
    }
    this.client = client;
    this.prefix = options.prefix;
    this.#engine = engine;
    this.#observe = options.observe;
    this.#limits = limitsText(options.limits);
    this.#keys = [this.key(KEY.ready)];
  }

  key(kind: string, id?: number | string): string {
    return id === undefined ? this.prefix + kind : `${this.prefix}${kind}${id}`;
  }

  /** The sender later calls hand what they make sendable to (Outbox.handTo); null: none. */
  handTo(sender: Sender | null): void {
    this.#sender = sender;
  }

  /**
   * Calls a function of the library and decodes its answer. With a sender, the call carries
   * the hand-off (how many heads the sender can take, and their lease), and what the function
   * took goes to the sender before the answer is decoded.
   */
  run<const A extends readonly string[], R>(fn: LuaFunction<A, R>, args: ArgsOf<A>): Promise<R> {
    const sender = this.#sender;
    const handOff = sender ? [String(Math.max(0, sender.free())), String(sender.leaseMs)] : NONE;
    const all = [this.prefix, this.#limits, ...handOff, ...positional(fn, args)];
    const call = async () => {
      const reply = await this.#engine.fcall(fn.name, this.#keys, all);
      return fn.decode(sender ? handOver(sender, reply) : reply);
    };
    return this.command(async () => {
      if (!this.#loaded) await this.ready();
      try {
        return await call();
      } catch (err) {
        if (!isMissingFunction(err)) throw err;
        this.#loaded = false;
        await this.ready();
        return await call();
      }
    });
  }

  /** Loads the library where it is missing or older; refuses a newer one. */
  ready(): Promise<void> {
    if (this.#loaded) return Promise.resolve();
    this.#loading ??= this.#load().then(
      () => {
        this.#loaded = true;
        this.#loading = null;
      },
      (err: unknown) => {
        this.#loading = null;
        throw err;
      },
    );
    return this.#loading;
  }

  async #load(): Promise<void> {
    const newer = (await this.#engine.versions()).filter((v) => v !== null && v > LIBRARY_VERSION);
    if (newer.length > 0) {
      throw new StoreVersionError(
        `Redis runs version ${Math.max(...(newer as number[]))} of the hamdam library; this code knows version ${LIBRARY_VERSION}: deploy the newer code`,
      );
    }
    await this.#engine.load(LIBRARY_SOURCE);
  }

  /** Runs a plain command (or several), timing it and sorting its errors. */
  async command<T>(op: () => Promise<T>): Promise<T> {
    const started = this.#observe ? performance.now() : 0;
    try {
      return await op();
    } catch (err) {
      throw classify(err);
    } finally {
      this.#observe?.((performance.now() - started) / 1000);
    }
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

/** The hand-off of a call made without a sender. */
const NONE = ['', ''] as const;

/**
 * A function called with a hand-off answers {its answer, handed}: handed is how many chats it
 * made sendable and left to the sender's own settle, then the heads it took for the sender.
 */
function handOver(sender: Sender, reply: Reply): Reply {
  const [answer, handed] = asList(reply);
  const flat = asList(handed ?? null);
  const claimed = heads(flat);
  if (claimed.length > 0) sender.send(claimed);
  if (Number(flat[0]) > 0) sender.due();
  return answer ?? null;
}

/** The limits as every call carries them: the library's version, then each limit in order. */
export function limitsText(limits: StoreLimits): string {
  return `v${LIBRARY_VERSION}:${LIMIT_ORDER.map((name) => limits[name]).join(',')}`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A function's error or a protocol surprise is a bug; everything else means Redis is out of reach. */
function classify(err: unknown): unknown {
  if (err instanceof StoreCorruptError || err instanceof StoreVersionError) return err;
  const name = err instanceof Error ? err.name : '';
  const message = messageOf(err);
  if (/hamdam library version \d+ called by/.test(message)) {
    return new StoreVersionError(message, { cause: err });
  }
  // The embedded engine names its errors as ioredis names Redis's: ReplyError.
  if (name === 'ReplyError' && !TRANSIENT_REPLY.test(message)) {
    return new StoreScriptError(message, { cause: err });
  }
  return new StoreUnavailableError('Redis did not answer', { cause: err });
}
