/** One pending action of a virtual user: what to do, when, and the user's epoch it belongs to. */
export interface Timer {
  at: number;
  user: number;
  action: number;
  epoch: number;
}

/**
 * A binary min-heap of timers, drained by one scheduler tick. Thousands of users share it
 * instead of each owning a setTimeout, so the generator's cost grows with actions, not users.
 * Stale timers (a user whose epoch moved on) are skipped by the caller, never searched for.
 */
export class TimerHeap {
  readonly #items: Timer[] = [];

  get size(): number {
    return this.#items.length;
  }

  push(timer: Timer): void {
    const items = this.#items;
    items.push(timer);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.at <= timer.at) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = timer;
  }

  /** Removes and returns the earliest timer due at or before `now`. */
  popDue(now: number): Timer | undefined {
    const items = this.#items;
    const top = items[0];
    if (top === undefined || top.at > now) return undefined;
    const last = items.pop()!;
    if (items.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child = right < items.length && items[right]!.at < items[left]!.at ? right : left;
        if (items[child]!.at >= last.at) break;
        items[i] = items[child]!;
        i = child;
      }
      items[i] = last;
    }
    return top;
  }

  clear(): void {
    this.#items.length = 0;
  }
}
