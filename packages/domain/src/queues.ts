/**
 * Telegram delivers updates through per-key FIFO queues: a chat's messages in one, a user's
 * callback queries in another, block/unblock events in a third. Within one queue the next
 * update is sent only after the previous one was answered 2xx, so update ids in a queue only
 * grow; a redelivery carries an id no greater than the last one taken. That is what makes a
 * per-queue high-water mark a correct de-duplication key.
 */
export const UPDATE_QUEUES = { message: 'm', callback: 'c', membership: 'k' } as const;
export type UpdateQueue = (typeof UPDATE_QUEUES)[keyof typeof UPDATE_QUEUES];

/** Identifies an update for de-duplication: which queue it came through and its id. */
export interface Stamp {
  readonly queue: UpdateQueue;
  readonly updateId: number;
}
