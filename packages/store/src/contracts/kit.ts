import { afterEach, beforeEach } from 'node:test';
import { bucketOf, compatibleBuckets, type Profile, type Stamp } from '@hamdam/domain';
import type { ChatEnded } from '../journal.js';
import type { StoredProfile } from '../pairing.js';
import type { StateStore, StoreLimits } from '../state-store.js';

/** Opens a fresh, empty store; every contract suite takes one. */
export type StoreFactory = (limits?: Partial<StoreLimits>) => Promise<StateStore>;

export const ANY: Profile = { gender: null, wants: 'any' };

export function stored(profile: Profile, uid = 1): StoredProfile {
  return { uid, bucket: bucketOf(profile), candidates: compatibleBuckets(profile) };
}

let nextUpdate = 1;
/** A fresh stamp from a chat's message queue. */
export const msg = (): Stamp => ({ queue: 'm', updateId: nextUpdate++ });
/** A fresh stamp from the block/unblock queue. */
export const membership = (): Stamp => ({ queue: 'k', updateId: nextUpdate++ });

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Generous pacing, so that tests not about pacing never wait on it. */
export const UNPACED = { chatRatePerSec: 1000, chatBurst: 1000 } as const;

/** Claims everything owed and acknowledges it: what each chat would have received, in order. */
export async function drain(store: StateStore): Promise<Map<number, unknown[]>> {
  const got = new Map<number, unknown[]>();
  for (let round = 0; round < 100; round++) {
    const batch = await store.outbox.claim(100, 5_000);
    if (batch.length === 0) break;
    for (const c of batch) {
      got.set(c.chatId, [...(got.get(c.chatId) ?? []), c.payload]);
      await store.outbox.ack(c.chatId, c.entryId);
    }
  }
  return got;
}

/** The finished chats the journal holds now, read as one reader. */
export async function readJournal(store: StateStore, count: number): Promise<ChatEnded[]> {
  const entries = await store.journal.read('contract', count);
  return entries.map((e) => {
    if (e.kind !== 'chat-ended') throw new Error(`unexpected journal entry ${e.kind}`);
    return e;
  });
}

/**
 * A fresh, unpaced store for each test of the calling suite, closed after it. The object
 * returned always stands for the current test's store.
 */
export function freshStore(factory: StoreFactory): StateStore {
  let current: StateStore | null = null;
  beforeEach(async () => {
    current = await factory(UNPACED);
  });
  afterEach(async () => {
    await current?.close();
    current = null;
  });
  const now = (): StateStore => {
    if (!current) throw new Error('no store outside a test');
    return current;
  };
  return {
    get pairing() {
      return now().pairing;
    },
    get outbox() {
      return now().outbox;
    },
    get journal() {
      return now().journal;
    },
    ping: () => now().ping(),
    close: () => now().close(),
  };
}

const fallback = stored(ANY);

/** `find` of a user without a stored profile, with a fresh stamp unless one is given. */
export function finder(store: StateStore) {
  return (chatId: number, next = false, stamp: Stamp | null = msg()) =>
    store.pairing.find({ chatId, stamp, next, fallback });
}
