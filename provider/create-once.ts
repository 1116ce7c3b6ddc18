/**
 * Safe-to-repeat POSTs: the one retry loop of every create (and of every other POST the API cannot make
 * idempotent). Each attempt is a single request (the client context handed to `create` has retrying
 * turned off), so a burst of 429s is retried here and only here — never one loop inside another. Before
 * the first attempt (when `lookFirst`) and after any failure that may have reached the service (5xx, a
 * reset, a timeout, a lost answer), `find` asks the cloud for the resource this call would make, and
 * its answer is adopted instead of creating a second one.
 */
import type { ClientContext } from "../sdk/core/client";
import { isRetryable, mayHaveReachedServer, wasNotCarriedOut } from "../sdk/core/classify";
import { FnstackError } from "../sdk/core/errors";
import { backoffDelayMs, resolveRetryPolicy, sleep } from "../sdk/core/retry";

/** Options of {@link createOnce}. */
export interface CreateOnceOptions<T> {
  /** Its retry policy paces the attempts; `create` gets a copy with `maxAttempts: 1`. */
  readonly ctx: ClientContext;
  /** What is being done, for messages: `CreateFunction fnstack-demo-greeter`. */
  readonly description: string;
  /** Makes one attempt through the single-attempt context `once`. */
  create(once: ClientContext): Promise<T>;
  /**
   * The live resource an earlier attempt (this call's, or a killed run's) made, or undefined. Asked after
   * every ambiguous failure, and before the first attempt when `lookFirst`.
   */
  find(): Promise<T | undefined>;
  /** Look before the first attempt too (creates keyed by a stable identity); default true. */
  readonly lookFirst?: boolean;
}

/** The outcome of {@link createOnce}: the value, and whether it was found rather than made. */
export interface CreateOnceResult<T> {
  readonly value: T;
  /** True when `find` answered (the resource existed already). */
  readonly adopted: boolean;
  /** Create attempts sent. */
  readonly attempts: number;
}

/**
 * Runs a create that must happen at most once; see the module comment.
 *
 * @throws the last attempt's error when it is not retryable or the policy's attempts or total time are
 *   used up (its message then says how many attempts were made).
 */
export async function createOnce<T>(options: CreateOnceOptions<T>): Promise<CreateOnceResult<T>> {
  const policy = resolveRetryPolicy(options.ctx.retry);
  const once: ClientContext = { ...options.ctx, retry: { ...options.ctx.retry, maxAttempts: 1 } };
  const started = Date.now();
  let look = options.lookFirst ?? true;
  for (let attempt = 1; ; attempt++) {
    if (look) {
      const existing = await options.find();
      if (existing !== undefined) return { value: existing, adopted: true, attempts: attempt - 1 };
    }
    try {
      return { value: await options.create(once), adopted: false, attempts: attempt };
    } catch (error) {
      if (!isRetryable(error)) throw error;
      const backoff = backoffDelayMs(attempt, policy);
      const delayMs = Math.max(backoff, error instanceof FnstackError ? (error.retryAfterMs ?? 0) : 0);
      if (attempt >= policy.maxAttempts || Date.now() - started + delayMs > policy.maxTotalMs) {
        if (error instanceof FnstackError && attempt > 1) {
          error.attempts = attempt;
          error.message = `${options.description}: ${error.message} (gave up after ${attempt} attempts)`;
        }
        throw error;
      }
      // A 429 or a refused connection provably made nothing: repeat without asking.
      look = mayHaveReachedServer(error) && !wasNotCarriedOut(error);
      await sleep(delayMs, undefined, options.description);
    }
  }
}
