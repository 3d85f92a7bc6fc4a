/** A token bucket: `rate` tokens a second, holding at most `burst`. Times are epoch ms. */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  #tokens: number;
  #at = 0;

  constructor(ratePerSec: number, burst: number) {
    this.#rate = ratePerSec;
    this.#burst = burst;
    this.#tokens = burst;
  }

  available(now: number): number {
    if (this.#at !== 0) {
      this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) * this.#rate) / 1000);
    }
    this.#at = now;
    return this.#tokens;
  }

  take(now: number): boolean {
    if (this.available(now) < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  waitMs(now: number): number {
    return Math.ceil(((1 - this.available(now)) * 1000) / this.#rate);
  }
}
