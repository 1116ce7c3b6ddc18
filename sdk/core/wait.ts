import type pWaitForType from "p-wait-for";
import { isRetryable } from "./classify";
import { type Clock, systemClock } from "./clock";
import { AbortedError, FnstackError, WaitTimeoutError } from "./errors";

/**
 * What one poll saw: the operation is done (with its value), has failed (the waiter rejects with `error`
 * at once: FAILED, CANCELED, DELETED while waiting for ACTIVE…), or is still pending (`observed` names
 * the state seen, e.g. `CREATING`; `retryAfterMs` asks for a longer wait before the next poll).
 */
export type PollResult<T> =
  | { readonly done: true; readonly value: T }
  | { readonly failed: true; readonly error: Error }
  | { readonly pending: true; readonly observed: string; readonly retryAfterMs?: number };

/** Options of {@link waitFor}. All durations in milliseconds. */
export interface WaitOptions {
  /** What is awaited, for messages: `container instance ocid1… to become ACTIVE`. */
  readonly description: string;
  /** Deadline, from the call; required (resources default to 20 min). */
  readonly timeoutMs: number;
  /** Aborts the poll in flight and the wait; the waiter then rejects with an {@link AbortedError}. */
  readonly signal?: AbortSignal;
  /** Shortest pause between two polls. Default 1 000, or `maxIntervalMs` when that is given and smaller. */
  readonly minIntervalMs?: number;
  /** Longest pause between two polls. Default 30 000, or `minIntervalMs` when that is given and larger. */
  readonly maxIntervalMs?: number;
  /**
   * Pause as a fraction of the time waited so far, before clamping. Default
   * {@link defaultPollSchedule}.intervalFactor (0.09).
   */
  readonly intervalFactor?: number;
  /**
   * The time the waiter runs on: its deadline, the schedule and the pauses. Default the system clock;
   * tests pass a virtual one so that timing-dependent behaviour runs without real sleeps.
   */
  readonly clock?: Clock;
}

/**
 * The bounds of the poll schedule (see {@link nextPollDelayMs}).
 *
 * Why this schedule: when an operation that has run for `t` finishes, the waiter notices at the next
 * poll, so the detection lag is at most the current pause. Making the pause proportional to the time
 * already waited (`factor × t`) keeps that lag a fixed fraction of the operation's own duration: with
 * 0.09, under 10 % of it (issue 12's goal, the poll's own round trip included), whether it takes 5 s or
 * 5 min. The poll times then grow geometrically by `1 + factor`, so reaching `t` takes about
 * `ln(t / t0) / ln(1 + factor)` polls: logarithmic in the duration, where a fixed interval grows
 * linearly. The minimum (200 ms) keeps the lag of short operations under a quarter second without a
 * tight loop; the rate limiter keeps these early polls within the account's allowance. The maximum
 * bounds the absolute lag of long operations (30 s, as the OCI SDK's waiters cap theirs).
 *
 * Pauses are measured from the start of each poll, so a slow poll does not push the next one later;
 * when a poll's answer carries `retry-after`, the next poll comes that long after the answer instead
 * (the service's hint replaces the schedule rather than adding to it).
 */
export interface PollSchedule {
  /** Shortest pause between polls, in milliseconds. */
  readonly minIntervalMs: number;
  /** Longest pause between polls, in milliseconds. */
  readonly maxIntervalMs: number;
  /** Pause as a fraction of the time waited so far. */
  readonly intervalFactor: number;
}

/** The default schedule (frozen): 200 ms minimum, 30 s maximum, pause = 0.09 × time waited. */
export const defaultPollSchedule: Readonly<PollSchedule> = Object.freeze({
  minIntervalMs: 200,
  maxIntervalMs: 30_000,
  intervalFactor: 0.09,
});

/**
 * The pause before the next poll when `elapsedMs` have passed since the wait began:
 * `clamp(intervalFactor × elapsedMs, minIntervalMs, maxIntervalMs)`. Pure, so benchmarks and tests can
 * replay the schedule without sleeping.
 */
export function nextPollDelayMs(
  elapsedMs: number,
  schedule: Readonly<PollSchedule> = defaultPollSchedule,
): number {
  const proportional = schedule.intervalFactor * Math.max(0, elapsedMs);
  return Math.round(Math.min(schedule.maxIntervalMs, Math.max(schedule.minIntervalMs, proportional)));
}

/**
 * The times (milliseconds from the start, the first poll at 0) at which {@link waitFor} polls, up to and
 * including the first poll at or after `untilMs`, assuming polls take no time.
 */
export function pollTimes(untilMs: number, schedule: Readonly<PollSchedule> = defaultPollSchedule): number[] {
  const times = [0];
  let now = 0;
  while (now < untilMs) {
    now += nextPollDelayMs(now, schedule);
    times.push(now);
  }
  return times;
}

function validate(options: WaitOptions): Readonly<PollSchedule> {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Expected `options` to be an object");
  }
  if (typeof options.description !== "string" || options.description.trim() === "") {
    throw new TypeError("Expected `description` to be a non-empty string");
  }
  if (
    typeof options.timeoutMs !== "number" ||
    !Number.isFinite(options.timeoutMs) ||
    options.timeoutMs <= 0
  ) {
    throw new TypeError("Expected `timeoutMs` to be a positive finite number of milliseconds");
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new TypeError("Expected `signal` to be an AbortSignal");
  }
  if (
    options.clock !== undefined &&
    (typeof options.clock?.now !== "function" || typeof options.clock?.sleep !== "function")
  ) {
    throw new TypeError("Expected `clock` to have now() and sleep(ms, signal)");
  }
  for (const key of ["minIntervalMs", "maxIntervalMs", "intervalFactor"] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value) || value < 0)) {
      throw new TypeError(`Expected \`${key}\` to be a finite non-negative number`);
    }
  }
  // A bound given alone moves the other default out of its way (`maxIntervalMs: 50` alone means 50..50),
  // so only two explicit, contradictory bounds are an error.
  const { minIntervalMs, maxIntervalMs } = options;
  const schedule: PollSchedule = {
    minIntervalMs:
      minIntervalMs ?? Math.min(defaultPollSchedule.minIntervalMs, maxIntervalMs ?? Number.POSITIVE_INFINITY),
    maxIntervalMs: maxIntervalMs ?? Math.max(defaultPollSchedule.maxIntervalMs, minIntervalMs ?? 0),
    intervalFactor: options.intervalFactor ?? defaultPollSchedule.intervalFactor,
  };
  if (schedule.maxIntervalMs < schedule.minIntervalMs) {
    throw new TypeError("Expected `maxIntervalMs` to be at least `minIntervalMs`");
  }
  return Object.freeze(schedule);
}

function observedFromError(error: unknown): string {
  if (error instanceof FnstackError) return error.code;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" ? code : error.name;
  }
  return "error";
}

/**
 * The one waiter. Calls `poll` at once, then after each pending answer polls again when the schedule
 * says ({@link nextPollDelayMs}, counted from the start of the poll that answered), or `retryAfterMs`
 * after the answer when the poll carried one (instead of the schedule, not on top of it), until a poll answers done (resolves
 * with its value) or failed (rejects with its error at once). A poll that throws a retryable error
 * ({@link isRetryable}: throttling, 5xx, network) counts as pending, observed as the error's code; any
 * other error rejects at once. The pause before the deadline is shortened so that one last poll runs just
 * before it.
 *
 * `poll` receives a signal that aborts at the deadline or when `options.signal` aborts; pass it to
 * `send()`.
 *
 * @throws {WaitTimeoutError} at the deadline, naming what was awaited, the last state seen and the
 *   number of polls (its `cause` is the last poll error, if the last poll threw).
 * @throws {AbortedError} when `options.signal` aborts.
 * @throws {TypeError} at once for bad options.
 */
export async function waitFor<T>(
  poll: (signal: AbortSignal) => Promise<PollResult<T>>,
  options: WaitOptions,
): Promise<T> {
  if (typeof poll !== "function") throw new TypeError("Expected `poll` to be a function");
  const schedule = validate(options);
  const { description, timeoutMs } = options;
  // Loaded by the first wait, not at import: requiring this ES module costs ~20 ms of the plugin's
  // cold start, and check and diff never wait.
  const pWaitFor = (require("p-wait-for") as { default: typeof pWaitForType }).default;
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const deadline = new AbortController();
  // Aborting `deadline` when the wait ends (below) also cancels this timer.
  clock.sleep(timeoutMs, deadline.signal).then(
    () => deadline.abort(new DOMException(`Timed out after ${timeoutMs} ms`, "TimeoutError")),
    () => undefined,
  );
  const signal =
    options.signal === undefined ? deadline.signal : AbortSignal.any([deadline.signal, options.signal]);
  // Leave room for one last poll before the deadline without ever polling in a tight loop.
  const finalPollLeadMs = Math.min(500, schedule.minIntervalMs);
  let polls = 0;
  let lastSeen: string | undefined;
  let lastError: unknown;
  let nextPollAt = started;

  const condition = async (): Promise<boolean | ReturnType<typeof pWaitFor.resolveWith<T>>> => {
    const waitMs = nextPollAt - clock.now();
    if (polls > 0 && waitMs > 0) await clock.sleep(waitMs, signal);
    else if (signal.aborted) throw signal.reason;
    polls++;
    const pollStartedAt = clock.now();
    let result: PollResult<T>;
    let pollError: unknown;
    try {
      result = await poll(signal);
    } catch (error) {
      if (signal.aborted || !isRetryable(error)) throw error;
      pollError = error;
      const retryAfterMs = error instanceof FnstackError ? error.retryAfterMs : undefined;
      result = { pending: true, observed: observedFromError(error), retryAfterMs };
    }
    if (typeof result !== "object" || result === null) {
      throw new TypeError("Expected `poll` to resolve to {done}, {failed} or {pending}");
    }
    if ("done" in result) return pWaitFor.resolveWith(result.value);
    if ("failed" in result) throw result.error;
    lastError = pollError;
    lastSeen = result.observed;
    const answeredAt = clock.now();
    nextPollAt =
      result.retryAfterMs === undefined
        ? pollStartedAt + nextPollDelayMs(pollStartedAt - started, schedule)
        : answeredAt + result.retryAfterMs;
    const lastChanceAt = started + timeoutMs - finalPollLeadMs;
    if (nextPollAt > lastChanceAt && lastChanceAt > answeredAt) nextPollAt = lastChanceAt;
    return false;
  };

  try {
    // The pauses and the abort handling live in `condition`: p-wait-for only has a fixed interval, and its
    // own sleep leaves one abort listener on the signal per poll.
    return (await pWaitFor(condition, { interval: 0 })) as T;
  } catch (error) {
    if (options.signal?.aborted) {
      throw new AbortedError(
        `Waiting for ${description} was aborted after ${polls} polls (last state seen: ${lastSeen ?? "none"})`,
        { code: "Aborted", cause: options.signal.reason },
      );
    }
    if (deadline.signal.aborted) {
      throw new WaitTimeoutError(
        `Timed out after ${timeoutMs} ms waiting for ${description}: last state seen ` +
          `${lastSeen ?? "none (no poll answered)"} after ${polls} polls. The operation may still ` +
          `finish: raise the timeout, or check the resource's state before retrying.`,
        { waitingFor: description, lastSeen, polls, timeoutMs },
        lastError === undefined ? {} : { cause: lastError },
      );
    }
    throw error;
  } finally {
    deadline.abort(waitEnded);
  }
}

// The reason that cancels a finished wait's deadline: shared, since `abort()` without one makes a
// DOMException with a stack for every wait, which nothing reads.
const waitEnded: unknown = Object.freeze({ reason: "the wait ended" });
