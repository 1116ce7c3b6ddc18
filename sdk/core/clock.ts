/**
 * Time as the rate limiter and the waiter see it. Injected so that tests run on a virtual clock:
 * `now()` in milliseconds, and a `sleep` that resolves after `ms` of that clock (or rejects with the
 * signal's reason when `signal` aborts first).
 */
export interface Clock {
  /** Milliseconds since an arbitrary origin (the system clock uses the Unix epoch). */
  now(): number;
  /** Resolves after `ms` milliseconds; rejects with `signal.reason` as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `Date.now()` and `setTimeout` (the timer does not keep the process alive on abort). */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  sleep: (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject((signal as AbortSignal).reason);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
});
