import { afterEach, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import type { Profile, Stamp } from '@hamdam/domain';
import type { ChatEnded, JournalEntry } from '../journal.js';
import type { Claimed } from '../outbox.js';
import type { StateStore, StoreLimits } from '../state-store.js';

/** Opens a fresh, empty store; every contract suite takes one. */
export type StoreFactory = (limits?: Partial<StoreLimits>) => Promise<StateStore>;

let nextUpdate = 1;
/** A fresh stamp from a chat's message queue. */
export const msg = (): Stamp => ({ queue: 'm', updateId: nextUpdate++ });
/** A fresh stamp from a user's callback-query queue. */
export const press = (): Stamp => ({ queue: 'c', updateId: nextUpdate++ });
/** A fresh stamp from the block/unblock queue. */
export const membership = (): Stamp => ({ queue: 'k', updateId: nextUpdate++ });
let nextMessage = 1;
/** A fresh message id. */
export const messageId = (): number => nextMessage++;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Generous pacing, so that tests not about pacing never wait on it. */
export const UNPACED = { chatRatePerSec: 1000, chatBurst: 1000, floodBurst: 1000 } as const;

export const ADULT: Profile = {
  lang: 'en',
  gender: 'm',
  age: 30,
  wants: 'any',
  ageMin: 18,
  ageMax: 99,
  sameLanguage: false,
  protect: false,
};

/**
 * Takes a user through onboarding with the real questions (language, gender, age), then sets the
 * rest of the profile from Settings, and forgets what the bot said meanwhile.
 */
export async function onboard(
  store: StateStore,
  chatId: number,
  wanted: Partial<Profile> = {},
): Promise<Profile> {
  const p = { ...ADULT, ...wanted };
  const change = (c: ProfileChangeOf, onboarding: boolean) => changer(store)(chatId, c, onboarding);
  await store.pairing.start({ chatId, stamp: msg(), langHint: p.lang });
  await change({ field: 'lang', value: p.lang }, true);
  await change({ field: 'gender', value: p.gender }, true);
  await store.pairing.relay(text(chatId, { ageAnswer: p.age }));
  if (p.wants !== 'any') await change({ field: 'wants', value: p.wants }, false);
  if (p.age >= 18 && (p.ageMin !== 18 || p.ageMax !== 99)) {
    await change({ field: 'range', value: { min: p.ageMin, max: p.ageMax } }, false);
  }
  if (p.sameLanguage) await change({ field: 'sameLanguage', value: true }, false);
  if (p.protect) await change({ field: 'protect', value: true }, false);
  const view = await store.profiles.view(chatId);
  const expected = p.age < 18 ? { ...p, ageMin: 13, ageMax: 17 } : p;
  assert.deepEqual(view.profile, expected, 'onboarded');
  await drain(store);
  return expected;
}

/** A plain text message, as the router hands it to `relay`. */
export function text(
  chatId: number,
  fields: Partial<Parameters<StateStore['pairing']['relay']>[0]> = {},
): Parameters<StateStore['pairing']['relay']>[0] {
  return {
    chatId,
    stamp: msg(),
    messageId: messageId(),
    mediaGroup: null,
    replyTo: null,
    ageAnswer: null,
    unknownCommand: false,
    refused: false,
    ...fields,
  };
}

/** `find` with a fresh stamp unless one is given. */
export function finder(store: StateStore) {
  return (chatId: number, next = false, stamp: Stamp | null = msg()) =>
    store.pairing.find({ chatId, stamp, next, langHint: 'en' });
}

type ProfileChangeOf = Parameters<StateStore['profiles']['change']>[0]['change'];

/**
 * A profile change from a button, with a fresh stamp: during onboarding or not, on the message
 * `messageId` (null: Telegram did not say which), answering press `queryId`.
 */
export function changer(store: StateStore, queryId = 'q') {
  return (
    chatId: number,
    change: ProfileChangeOf,
    onboarding = false,
    messageId: number | null = null,
  ) => store.profiles.change({ chatId, stamp: press(), change, onboarding, queryId, messageId });
}

/** A short label for what an entry asks for, for comparing lists. */
export function label(c: Claimed): string {
  const item = c.item;
  if (!item) return 'unreadable';
  switch (item.kind) {
    case 'reply':
      return item.ref.split('?')[0]!;
    case 'call':
      return item.call.method;
    case 'broadcast':
      return `broadcast ${item.call.method}`;
    case 'copy':
      return `copy ${item.from}:${item.messageIds.join(',')}`;
    case 'edit':
      return `edit ${item.from}:${item.messageId}`;
  }
}

/**
 * Claims everything owed and acknowledges it: what each chat would have received, in order,
 * as labels (replies with their arguments if asked). Copies are acknowledged as landing at id 10000 + source id in the recipient's chat.
 */
export async function drain(
  store: StateStore,
  withArguments = false,
): Promise<Map<number, string[]>> {
  const got = new Map<number, string[]>();
  for (let round = 0; round < 200; round++) {
    const batch = await store.outbox.claim(100, 5_000);
    if (batch.length === 0) break;
    const delivered = batch.map((c) => {
      got.set(c.chatId, [
        ...(got.get(c.chatId) ?? []),
        withArguments && c.item?.kind === 'reply' ? c.item.ref : label(c),
      ]);
      const item = c.item;
      return item?.kind === 'copy'
        ? {
            chatId: c.chatId,
            entryId: c.entryId,
            copies: {
              from: item.from,
              pairs: item.messageIds.map((id): [number, number] => [id, 10_000 + id]),
            },
          }
        : { chatId: c.chatId, entryId: c.entryId };
    });
    await store.outbox.settle(delivered, 0, 5_000);
  }
  return got;
}

/** Everything the journal holds now, read as one reader and acknowledged. */
export async function readJournal(store: StateStore, count = 100): Promise<JournalEntry[]> {
  const entries = await store.journal.read('contract', count);
  await store.journal.ack(entries.map((e) => e.id));
  return entries;
}

export function endedChats(entries: readonly JournalEntry[]): ChatEnded[] {
  return entries.filter((e): e is ChatEnded => e.kind === 'chat-ended');
}

/**
 * A fresh store for each test of the calling suite, closed after it. The object returned
 * always stands for the current test's store.
 */
export function freshStore(factory: StoreFactory, limits: Partial<StoreLimits> = {}): StateStore {
  let current: StateStore | null = null;
  beforeEach(async () => {
    current = await factory({ ...UNPACED, ...limits });
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
    get profiles() {
      return now().profiles;
    },
    get moderation() {
      return now().moderation;
    },
    get outbox() {
      return now().outbox;
    },
    get journal() {
      return now().journal;
    },
    get upkeep() {
      return now().upkeep;
    },
    get broadcasts() {
      return now().broadcasts;
    },
    ping: () => now().ping(),
    close: () => now().close(),
  };
}
