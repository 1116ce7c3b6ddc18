import { isRetryable, isThrottle, mayHaveReachedServer, wasNotCarriedOut } from "./classify";
import { AbortedError, FnstackError } from "./errors";

/**
 * How the retry loop repeats a failed request. Every duration is in milliseconds. The defaults
 * ({@link defaultRetryPolicy}) follow the OCI SDK's `OciSdkDefaultRetryConfiguration` (oci-api.md §6) plus
 * the Python SDK's 600 s total cap.
 */
export interface RetryPolicy {
  /** Attempts in total, the first one included; 1 disables retrying. Default 8. */
  readonly maxAttempts: number;
  /** Delay before the first retry; it doubles for each further retry. Default 1 000 ms. */
  readonly baseDelayMs: number;
  /** Cap on the exponential part of one delay. Default 30 000 ms. */
  readonly maxDelayMs: number;
  /** Up to this much random delay is added to each wait, so that clients spread out. Default 1 000 ms. */
  readonly jitterMs: number;
  /**
   * Cap on the time from the first attempt until the start of the last one: a retry whose wait would end
   * past it is not made. Default 600 000 ms (10 min).
   */
  readonly maxTotalMs: number;
}

/**
 * The default policy (frozen): 8 attempts; waits of min(2^n s, 30 s) plus up to 1 s of jitter, i.e.
 * about 1, 2, 4, 8, 16, 30 and 30 s; at most 10 min in total.
 */
export const defaultRetryPolicy: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 8,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  jitterMs: 1_000,
  maxTotalMs: 600_000,
});

/**
 * Merges `overrides` over {@link defaultRetryPolicy} and validates the result (undefined values are
 * ignored). Throws a `TypeError` naming the first bad option.
 *
 * @returns a frozen policy.
 */
export function resolveRetryPolicy(
  overrides: Partial<RetryPolicy> = defaultRetryPolicy,
): Readonly<RetryPolicy> {
  if (typeof overrides !== "object" || overrides === null) {
    throw new TypeError("Expected `retry` to be an object");
  }
  const known = resolvedPolicies.get(overrides);
  if (known !== undefined) return known;
  const policy: Record<keyof RetryPolicy, number> = { ...defaultRetryPolicy };
  for (const key of Object.keys(defaultRetryPolicy) as (keyof RetryPolicy)[]) {
    const value = overrides[key];
    if (value !== undefined) policy[key] = value;
  }
  if (!Number.isSafeInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new TypeError("Expected `maxAttempts` to be a positive integer");
  }
  for (const key of ["baseDelayMs", "maxDelayMs", "jitterMs"] as const) {
    if (typeof policy[key] !== "number" || !Number.isFinite(policy[key]) || policy[key] < 0) {
      throw new TypeError(`Expected \`${key}\` to be a finite non-negative number of milliseconds`);
    }
  }
  if (typeof policy.maxTotalMs !== "number" || Number.isNaN(policy.maxTotalMs) || policy.maxTotalMs < 0) {
    throw new TypeError("Expected `maxTotalMs` to be a non-negative number of milliseconds");
  }
  const resolved = Object.freeze(policy);
  resolvedPolicies.set(resolved, resolved);
  // A frozen plain object cannot change, so what it resolved to stays true.
  if (Object.isFrozen(overrides) && Object.getPrototypeOf(overrides) === Object.prototype) {
    resolvedPolicies.set(overrides, resolved);
  }
  return resolved;
}

/**
 * What a policy resolved to, for policies this module returned and frozen inputs: every request
 * resolves its context's policy, and copying and checking it each time was garbage (issue 12).
 */
const resolvedPolicies = new WeakMap<object, Readonly<RetryPolicy>>();

/**
 * The wait before retry number `retry` (1 before the second attempt): min(base × 2^(retry−1), max) plus
 * a uniform random jitter in [0, jitterMs).
 *
 * @param random - source of randomness in [0, 1); `Math.random` by default (tests pass a constant).
 * @returns milliseconds, rounded to an integer.
 */
export function backoffDelayMs(
  retry: number,
  policy: Readonly<RetryPolicy> = defaultRetryPolicy,
  random: () => number = Math.random,
): number {
  // 2 ** 1100 is Infinity, which Math.min turns back into maxDelayMs: no overflow to guard against.
  const exponential = Math.min(policy.baseDelayMs * 2 ** Math.max(0, retry - 1), policy.maxDelayMs);
  return Math.round(exponential + random() * policy.jitterMs);
}

/**
 * Parses a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP date.
 *
 * @param nowMs - the time the answer arrived, for HTTP dates; `Date.now()` by default.
 * @returns the delay in milliseconds (never negative), or undefined when absent or malformed.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  // HTTP dates always name the month; this keeps Date.parse from reading "-3" as a year.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * Whether a request that failed with `error` may be sent again: the error must be retryable
 * ({@link isRetryable}), and a request that is not idempotent is only repeated when it provably never
 * reached the server, or when the service answered that it did not carry it out (429, 409
 * `IncorrectState`): repeating a POST that may have created something could create it twice.
 *
 * @param idempotent - true for GET/HEAD/PUT/DELETE, and for POST/PATCH carrying an idempotency token.
 */
export function mayRepeat(error: unknown, idempotent: boolean): boolean {
  if (!isRetryable(error)) return false;
  return idempotent || !mayHaveReachedServer(error) || wasNotCarriedOut(error);
}

/** What the retry loop reports before each wait (for logs and tests). */
export interface RetryEvent {
  /** The error of the attempt that just failed. */
  readonly error: unknown;
  /** Number of the attempt that failed, from 1. */
  readonly attempt: number;
  /** How long the loop waits before the next attempt, in milliseconds. */
  readonly delayMs: number;
}

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Overrides merged over {@link defaultRetryPolicy}. */
  readonly policy?: Partial<RetryPolicy>;
  /** Whether the operation may be repeated even after it may have reached the server. */
  readonly idempotent: boolean;
  /** Aborts the waits and stops retrying; the loop then rejects with an {@link AbortedError}. */
  readonly signal?: AbortSignal;
  /** What is being done, for the abort message, e.g. `GetFunction`. Default `the operation`. */
  readonly description?: string;
  /** Called before each wait. */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Source of jitter in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
  /**
   * Whether a rate limiter paces every attempt (`send()` sets this when one does). A throttled attempt
   * is then repeated after the service's `Retry-After` alone (the limiter's token wait does the rest,
   * not stacked on an exponential backoff), and does not count against `maxAttempts`: only the total
   * cap bounds it, as 429s mean "later", not "broken".
   */
  readonly pacedThrottles?: boolean;
}

/** The result of {@link retry}: the value and how many attempts it took. */
export interface RetryResult<T> {
  readonly value: T;
  readonly attempts: number;
}

/**
 * The one retry loop. Runs `attempt` until it resolves, or until its error may not be repeated
 * ({@link mayRepeat}), the policy's attempts are used up, or the next wait would end past the policy's
 * total cap. The wait is the exponential backoff ({@link backoffDelayMs}) or the error's
 * `retryAfterMs` (the service's `Retry-After`), whichever is longer. The final error is rethrown with
 * `attempts` set (for fnstack errors).
 *
 * @param attempt - performs one attempt; receives its number, from 1.
 */
export async function retry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryOptions,
): Promise<RetryResult<T>> {
  const policy = resolveRetryPolicy(options.policy);
  const { signal } = options;
  const description = options.description ?? "the operation";
  const started = Date.now();
  let pacedThrottles = 0;
  for (let attemptNumber = 1; ; attemptNumber++) {
    throwIfAborted(signal, description);
    try {
      const value = await attempt(attemptNumber);
      return { value, attempts: attemptNumber };
    } catch (error) {
      if (signal?.aborted) {
        if (error instanceof AbortedError) throw error;
        throw abortedError(signal, description);
      }
      const paced = options.pacedThrottles === true && isThrottle(error);
      if (paced) pacedThrottles++;
      const delayMs = paced
        ? retryAfterOf(error)
        : nextDelay(error, attemptNumber - pacedThrottles, policy, options);
      const giveUp =
        !mayRepeat(error, options.idempotent) ||
        attemptNumber - pacedThrottles >= policy.maxAttempts ||
        Date.now() - started + delayMs > policy.maxTotalMs;
      if (giveUp) throw withAttempts(error, attemptNumber);
      options.onRetry?.({ error, attempt: attemptNumber, delayMs });
      await sleep(delayMs, signal, description);
    }
  }
}

function nextDelay(
  error: unknown,
  attemptNumber: number,
  policy: Readonly<RetryPolicy>,
  options: RetryOptions,
): number {
  const backoff = backoffDelayMs(attemptNumber, policy, options.random);
  return Math.max(backoff, retryAfterOf(error));
}

function retryAfterOf(error: unknown): number {
  return error instanceof FnstackError ? (error.retryAfterMs ?? 0) : 0;
}

function withAttempts(error: unknown, attempts: number): unknown {
  if (error instanceof FnstackError) {
    error.attempts = attempts;
    if (attempts > 1) error.message = `${error.message} (gave up after ${attempts} attempts)`;
  }
  return error;
}

function abortedError(signal: AbortSignal, description: string): AbortedError {
  return new AbortedError(`${description} was aborted`, { code: "Aborted", cause: signal.reason });
}

function throwIfAborted(signal: AbortSignal | undefined, description: string): void {
  if (signal?.aborted) throw abortedError(signal, description);
}

/** Waits `ms` milliseconds; rejects with an {@link AbortedError} as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal, description = "the wait"): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(signal, description));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal as AbortSignal, description));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
