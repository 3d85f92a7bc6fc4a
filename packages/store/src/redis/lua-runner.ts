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
import {
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

  /** Calls a function of the library and decodes its answer. */
  run<const A extends readonly string[], R>(fn: LuaFunction<A, R>, args: ArgsOf<A>): Promise<R> {
    const all = [this.prefix, this.#limits, ...positional(fn, args)];
    return this.command(async () => {
      if (!this.#loaded) await this.ready();
      try {
        return fn.decode(await this.#engine.fcall(fn.name, this.#keys, all));
      } catch (err) {
        if (!isMissingFunction(err)) throw err;
        this.#loaded = false;
        await this.ready();
        return fn.decode(await this.#engine.fcall(fn.name, this.#keys, all));
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
