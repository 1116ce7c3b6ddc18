import type { Clock } from "../sdk/core/clock";

/**
 * A simulated server's rate limit, as the emulator's (emulator/rate-limit.ts): a token bucket of `burst`
 * refilled at `rate` per second on an injected clock. `rate` may be changed to model a limit that rises.
 * Shared by the limiter's unit tests and bench/rate-limiter-anchor.ts.
 */
export class ServerBucket {
  #tokens: number;
  #at = 0;
  constructor(
    public rate: number,
    private readonly burst: number,
    private readonly clock: Pick<Clock, "now">,
  ) {
    this.#tokens = burst;
  }

  /** Takes a token for one request; false means the server answers 429. */
  take(): boolean {
    const now = this.clock.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.rate);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
