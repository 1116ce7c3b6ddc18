import type { Clock } from "../sdk/core/clock";

/** A clock whose time moves only when `run` advances it to the next timer: fully deterministic. */
export class VirtualClock implements Clock {
  #now = 0;
  #timers: { at: number; seq: number; fire: () => void }[] = [];
  #seq = 0;

  /**
   * @param settleRealTimers - also let real zero-delay timers run between steps (needed by code that
   *   schedules with `setTimeout(…, 0)`, as p-wait-for does); slower, so off by default.
   */
  constructor(private readonly settleRealTimers = false) {}

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        this.#timers = this.#timers.filter((t) => t !== timer);
        reject(signal?.reason);
      };
      const timer = {
        at: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        fire: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      this.#timers.push(timer);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Fires timers in time order until `done()` or no timer is left; returns the final time. */
  async run(done: () => boolean, untilMs = Number.POSITIVE_INFINITY): Promise<number> {
    await this.#settle();
    while (!done() && this.#timers.length > 0) {
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#timers[0] as { at: number; fire: () => void };
      if (next.at > untilMs) break;
      this.#timers.shift();
      this.#now = next.at;
      next.fire();
      await this.#settle();
    }
    return this.#now;
  }

  /** Lets every pending promise callback run (they may start timers). */
  async #settle(): Promise<void> {
    if (!this.settleRealTimers) return new Promise((resolve) => setImmediate(resolve));
    for (let round = 0; round < 3; round++) await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
