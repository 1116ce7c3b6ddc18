/**
 * Lifecycle waits for resources without work requests (Functions applications and functions): poll
 * GET until `lifecycleState` is a target; FAILED fails at once; on delete, DELETED or a 404 counts as
 * gone (reference oci-api.md §2.1, §6: the SDK waiter's unawaited-404 bug is not copied).
 */
import { NotFoundError, WorkRequestFailedError } from "../core/errors";
import { type PollResult, waitFor } from "../core/wait";

/** Options of the lifecycle waits. */
export interface LifecycleWaitOptions {
  /** What is waited for, for messages: `application ocid1.fnapp… to become ACTIVE`. */
  readonly description: string;
  /** Deadline in milliseconds. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Shortest pause between polls, in milliseconds (see `waitFor`). */
  readonly minIntervalMs?: number;
  /** Longest pause between polls, in milliseconds (see `waitFor`). */
  readonly maxIntervalMs?: number;
}

/** What a lifecycle poll reads. */
export interface HasLifecycle {
  readonly id?: string;
  readonly lifecycleState: string;
  readonly lifecycleDetails?: string;
}

/**
 * Polls `get` until the resource's `lifecycleState` is one of `targets`, answering the resource.
 * FAILED (when not a target) throws a {@link WorkRequestFailedError} at once, status FAILED, carrying
 * `lifecycleDetails`; so does DELETED/DELETING when waiting for something else.
 */
export function waitForLifecycleState<T extends HasLifecycle>(
  get: (signal: AbortSignal) => Promise<T>,
  targets: readonly string[],
  options: LifecycleWaitOptions,
): Promise<T> {
  const unexpectedEnds = ["FAILED", "DELETED", "DELETING"].filter((s) => !targets.includes(s));
  // `then`, not `await`: no async frame held while the poll waits for the rate limiter (issue 12).
  const poll = (signal: AbortSignal): Promise<PollResult<T>> =>
    get(signal).then((resource) => {
      if (targets.includes(resource.lifecycleState)) return { done: true, value: resource };
      if (unexpectedEnds.includes(resource.lifecycleState)) {
        return { failed: true, error: lifecycleFailure(resource, options.description) };
      }
      return { pending: true, observed: resource.lifecycleState };
    });
  return waitFor<T>(poll, waitOptions(options));
}

/**
 * Polls `get` until the resource is DELETED or GET answers 404. FAILED throws at once.
 */
export async function waitForDeletion<T extends HasLifecycle>(
  get: (signal: AbortSignal) => Promise<T>,
  options: LifecycleWaitOptions,
): Promise<void> {
  await waitFor<true>(async (signal) => {
    let resource: T;
    try {
      resource = await get(signal);
    } catch (err) {
      if (err instanceof NotFoundError) return { done: true, value: true };
      throw err;
    }
    if (resource.lifecycleState === "DELETED") return { done: true, value: true };
    if (resource.lifecycleState === "FAILED")
      return { failed: true, error: lifecycleFailure(resource, options.description) };
    return { pending: true, observed: resource.lifecycleState };
  }, waitOptions(options));
}

function waitOptions(options: LifecycleWaitOptions) {
  return {
    description: options.description,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    minIntervalMs: options.minIntervalMs,
    maxIntervalMs: options.maxIntervalMs,
  };
}

function lifecycleFailure(resource: HasLifecycle, description: string): WorkRequestFailedError {
  const details = resource.lifecycleDetails ? `: ${resource.lifecycleDetails}` : "";
  return new WorkRequestFailedError(
    `${description}: the resource is ${resource.lifecycleState}${details}`,
    {
      workRequestId: resource.id ?? "",
      status: resource.lifecycleState,
      errors: resource.lifecycleDetails
        ? [{ code: "LifecycleDetails", message: resource.lifecycleDetails }]
        : [],
    },
    { code: `Lifecycle${resource.lifecycleState[0]}${resource.lifecycleState.slice(1).toLowerCase()}` },
  );
}
