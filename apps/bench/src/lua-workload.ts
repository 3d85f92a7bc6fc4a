import type { StateStore } from '@hamdam/store';

/**
 * The Lua cost benchmark's workload: what users do in the load test, in phases, against one
 * store: /start, the onboarding answers (language, gender, age), Find, `messages` rounds of one
 * message each with the dispatcher's settles in between, and Stop. Every phase runs up to
 * `concurrency` calls at once; the dispatcher settles `settleLimit` chats a call, acknowledging
 * what it took the call before, as the bot's dispatcher does.
 */
export interface Workload {
  readonly users: number;
  readonly messages: number;
  readonly concurrency: number;
  readonly settleLimit: number;
}

/** The store's ports as the workload uses them (any checkout's store has them). */
export type WorkloadStore = Pick<StateStore, 'pairing' | 'profiles' | 'outbox'>;

/** Called around each phase, to measure it: `name` is the library function the phase calls. */
export type PhaseHook = (name: string, run: () => Promise<void>) => Promise<void>;

const LEASE_MS = 30_000;
/** A settle loop that has not drained the outbox after this many calls is a bug, not load. */
const MAX_SETTLES = 1_000_000;

export async function runWorkload(
  store: WorkloadStore,
  w: Workload,
  phase: PhaseHook,
): Promise<void> {
  const users = Array.from({ length: w.users }, (_, i) => 1_000 + i);
  let update = 1;
  let message = 1;
  const stamp = (queue: 'm' | 'c') => ({ queue, updateId: update++ });
  const each = async (f: (chatId: number) => Promise<unknown>) => {
    for (let i = 0; i < users.length; i += w.concurrency) {
      await Promise.all(users.slice(i, i + w.concurrency).map(f));
    }
  };
  const text = (chatId: number, ageAnswer: number | null) =>
    store.pairing.relay({
      chatId,
      stamp: stamp('m'),
      messageId: message++,
      mediaGroup: null,
      replyTo: null,
      ageAnswer,
      unknownCommand: false,
      refused: false,
    });
  const answer = (
    chatId: number,
    change: Parameters<WorkloadStore['profiles']['change']>[0]['change'],
  ) =>
    store.profiles.change({
      chatId,
      stamp: stamp('c'),
      change,
      onboarding: true,
      queryId: 'q',
      messageId: 1,
    });
  const drain = async () => {
    let delivered: Parameters<WorkloadStore['outbox']['settle']>[0] = [];
    for (let calls = 0; calls < MAX_SETTLES; calls++) {
      const { claimed } = await store.outbox.settle(delivered, w.settleLimit, LEASE_MS);
      if (claimed.length === 0 && delivered.length === 0) return;
      delivered = claimed.map(({ chatId, entryId, item }) => {
        if (item?.kind !== 'copy') return { chatId, entryId };
        const pairs = item.messageIds.map((id) => [id, message++] as const);
        return { chatId, entryId, copies: { from: item.from, pairs } };
      });
    }
    throw new Error(`the outbox did not drain in ${MAX_SETTLES} settles`);
  };

  await phase('start', () =>
    each((chatId) => store.pairing.start({ chatId, stamp: stamp('m'), langHint: 'en' })),
  );
  await phase('change', () =>
    each(async (chatId) => {
      await answer(chatId, { field: 'lang', value: 'en' });
      await answer(chatId, { field: 'gender', value: chatId % 2 === 0 ? 'f' : 'm' });
    }),
  );
  await phase('relay', () => each((chatId) => text(chatId, 18 + (chatId % 40))));
  await phase('settle', drain);
  await phase('find', () =>
    each((chatId) =>
      store.pairing.find({ chatId, stamp: stamp('m'), next: false, langHint: 'en' }),
    ),
  );
  await phase('settle', drain);
  for (let round = 0; round < w.messages; round++) {
    await phase('relay', () => each((chatId) => text(chatId, null)));
    await phase('settle', drain);
  }
  await phase('stop', () => each((chatId) => store.pairing.stop({ chatId, stamp: stamp('m') })));
  await phase('settle', drain);
}
