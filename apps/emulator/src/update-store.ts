import type { UpdateType } from '@hamdam/telegram';

/** The update types the emulator produces. */
export type EmittedUpdateType = Extract<
  UpdateType,
  'message' | 'edited_message' | 'callback_query' | 'my_chat_member'
>;

/** An update waiting for confirmation; serialised once and reused for every delivery attempt. */
export interface PendingUpdate {
  readonly updateId: number;
  readonly type: EmittedUpdateType;
  /** Telegram's webhook queue: updates sharing a key are delivered strictly one after another. */
  readonly queueKey: number;
  readonly json: string;
}

// Telegram's queue ids: message and edited_message updates by chat (one queue, so an edit
// never overtakes its message), callback queries by user, my_chat_member by chat in a
// separate queue (chat_id + (k << 33)).
const QUEUE_OFFSET: Readonly<Record<EmittedUpdateType, number>> = {
  message: 0,
  edited_message: 0,
  callback_query: 3 * 2 ** 33,
  my_chat_member: 5 * 2 ** 33,
};

export function queueKeyOf(type: EmittedUpdateType, chatId: number): number {
  return chatId + QUEUE_OFFSET[type];
}

/**
 * Updates not yet confirmed, in update_id order. Webhook delivery removes an
 * update on a 2xx answer; getUpdates removes it when a later offset confirms it.
 */
export class UpdateStore {
  readonly #pending = new Map<number, PendingUpdate>();
  #waiters: (() => void)[] = [];

  get size(): number {
    return this.#pending.size;
  }

  add(update: PendingUpdate): void {
    this.#pending.set(update.updateId, update);
    this.wakeAll();
  }

  remove(updateId: number): boolean {
    return this.#pending.delete(updateId);
  }

  values(): IterableIterator<PendingUpdate> {
    return this.#pending.values();
  }

  /** Forgets every update with an id below `offset`; returns how many were forgotten. */
  confirmBelow(offset: number): number {
    let removed = 0;
    // Map iteration follows insertion order, which is update_id order, so this stops at the first kept update.
    for (const id of this.#pending.keys()) {
      if (id >= offset) break;
      this.#pending.delete(id);
      removed++;
    }
    return removed;
  }

  /** Negative getUpdates offsets keep only the last `count` updates. */
  keepLast(count: number): number {
    let excess = this.#pending.size - count;
    let removed = 0;
    for (const id of this.#pending.keys()) {
      if (excess-- <= 0) break;
      this.#pending.delete(id);
      removed++;
    }
    return removed;
  }

  take(limit: number): PendingUpdate[] {
    const result: PendingUpdate[] = [];
    for (const update of this.#pending.values()) {
      if (result.length >= limit) break;
      result.push(update);
    }
    return result;
  }

  clear(): void {
    this.#pending.clear();
  }

  /** Resolves when an update arrives, `wakeAll` is called, or after `ms`. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const waiters = this.#waiters;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      waiters.push(done);
    });
  }

  wakeAll(): void {
    if (this.#waiters.length === 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
