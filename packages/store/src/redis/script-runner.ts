import type { Cluster, Redis } from 'ioredis';
import { StoreCorruptError, StoreScriptError, StoreUnavailableError } from '../errors.js';
import type { Stamp } from '@hamdam/domain';
import { LIMIT_ORDER, type StoreLimits } from '../state-store.js';
import { KEY, PREFIX_PATTERN } from './keys.js';
import { BC_CANCEL, BC_CHECK, BC_ENQUEUE, BC_START } from './broadcast-scripts.js';
import { ERASE } from './erase-scripts.js';
import { BAN, BLOCK, REPORT, REPORT_REASON, UNBAN } from './moderation-scripts.js';
import { DEFER, RENEW, SAY, SETTLE } from './outbox-scripts.js';
import { BOT_BLOCKED, EDIT, FIND, RELAY, START, STOP } from './pairing-scripts.js';
import { ASK_AGE, CHANGE, RESTORE } from './profile-scripts.js';
import { LEASE, RELEASE, STATS, SWEEP } from './upkeep-scripts.js';

/** A Redis connection: one node, a Cluster, or the embedded engine speaking the same API. */
export type RedisClient = Redis | Cluster;

/** Every script, by the command name it is defined under. */
export const SCRIPTS = {
  hamdamStart: START,
  hamdamFind: FIND,
  hamdamStop: STOP,
  hamdamRelay: RELAY,
  hamdamEdit: EDIT,
  hamdamBotBlocked: BOT_BLOCKED,
  hamdamChange: CHANGE,
  hamdamAskAge: ASK_AGE,
  hamdamRestore: RESTORE,
  hamdamErase: ERASE,
  hamdamReport: REPORT,
  hamdamReportReason: REPORT_REASON,
  hamdamBlock: BLOCK,
  hamdamBan: BAN,
  hamdamUnban: UNBAN,
  hamdamSay: SAY,
  hamdamSettle: SETTLE,
  hamdamDefer: DEFER,
  hamdamRenew: RENEW,
  hamdamSweep: SWEEP,
  hamdamLease: LEASE,
  hamdamRelease: RELEASE,
  hamdamStats: STATS,
  hamdamBcStart: BC_START,
  hamdamBcCancel: BC_CANCEL,
  hamdamBcEnqueue: BC_ENQUEUE,
  hamdamBcCheck: BC_CHECK,
} as const;
export type ScriptName = keyof typeof SCRIPTS;

export type Reply = string | number | null | Reply[];
type Scripted = Record<ScriptName, (key: string, ...args: string[]) => Promise<Reply>>;

export interface ScriptRunnerOptions {
  /** Key prefix with exactly one hash tag, e.g. `hamdam:{h}:`. */
  readonly prefix: string;
  /** The numbers the rules run on, handed to every script. */
  readonly limits: StoreLimits;
  /** Adapts a script to an engine that is not Redis itself (the embedded one); identity otherwise. */
  readonly adapt?: (lua: string) => string;
  /** Told the round trip of every call, in seconds. */
  readonly observe?: (seconds: number) => void;
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
  readonly #limits: string;
  readonly #observe: ((seconds: number) => void) | undefined;

  constructor(client: RedisClient, options: ScriptRunnerOptions) {
    if (!PREFIX_PATTERN.test(options.prefix)) {
      throw new TypeError(
        `Redis key prefix must carry exactly one hash tag, got "${options.prefix}"`,
      );
    }
    this.client = client;
    this.prefix = options.prefix;
    this.#trailing = options.trailingArgument;
    this.#observe = options.observe;
    this.#limits = LIMIT_ORDER.map((name) => options.limits[name]).join(',');
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
    const all = [this.prefix, this.#limits, ...args.map(String)];
    if (this.#trailing) all.push(this.#trailing());
    return this.call(() => fn(this.key(KEY.ready), ...all));
  }

  /** A step caused by a user's update: the chat, then its stamp (empty for the bot's own). */
  step(
    name: ScriptName,
    chatId: number,
    stamp: Stamp | null,
    ...args: (string | number)[]
  ): Promise<Reply[]> {
    const mark = stamp ? [stamp.queue, String(stamp.updateId)] : ['', ''];
    return this.script(name, chatId, ...mark, ...args).then(asList);
  }

  async call<T>(op: () => Promise<T>): Promise<T> {
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

export function asList(reply: Reply): Reply[] {
  if (!Array.isArray(reply)) throw new StoreCorruptError('script answered a non-list');
  return reply;
}

/** The common answers of a user's step, or null when it is one of the step's own. */
export function commonResult(
  kind: Reply | undefined,
): { kind: 'duplicate' } | { kind: 'banned' } | { kind: 'flooded' } | null {
  return kind === 'duplicate' || kind === 'banned' || kind === 'flooded' ? { kind } : null;
}

export function unexpected(script: string, kind: Reply | undefined): StoreCorruptError {
  return new StoreCorruptError(`${script} answered ${String(kind)}`);
}

export function optionalNumber(value: Reply | undefined): number | null {
  return value === undefined || value === null || value === '' ? null : Number(value);
}

/** A script error or a protocol surprise is a bug; everything else means Redis is out of reach. */
function classify(err: unknown): unknown {
  if (err instanceof StoreCorruptError) return err;
  const name = err instanceof Error ? err.name : '';
  const message = err instanceof Error ? err.message : String(err);
  // The embedded engine reports a failed script as a plain Error.
  const embeddedScript = message.startsWith('Error trying to loading or executing lua');
  if ((name === 'ReplyError' && !TRANSIENT_REPLY.test(message)) || embeddedScript) {
    return new StoreScriptError(message, { cause: err });
  }
  return new StoreUnavailableError('Redis did not answer', { cause: err });
}
