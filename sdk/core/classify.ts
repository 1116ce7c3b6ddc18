/**
 * Error classification, apart from the retry loop: pure functions of an error (and its `cause` chain)
 * that say whether repeating the request may help, whether the service is throttling, and whether a
 * failed attempt may have been carried out by the server. Rules from the OCI SDK's
 * `DefaultRetryCondition` and OCI's API error table (oci-api.md §3, §6).
 */

import { AbortedError } from "./errors";

/** HTTP statuses worth repeating: throttling and the transient server errors (not 501). */
export const retryableStatusCodes: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/**
 * Error codes (Node errno codes and undici codes) of failures that happen while connecting, before a
 * single byte of the request was sent: such a request cannot have been carried out.
 */
export const connectPhaseErrorCodes: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * Network error codes worth repeating. `ENOTFOUND` is left out on purpose: an unknown host name is a
 * configuration mistake (a wrong region or endpoint) that no amount of waiting fixes, whereas `EAI_AGAIN`
 * is a temporary resolver failure.
 */
export const transientNetworkErrorCodes: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
]);

/** Service codes that mean "slow down", whatever the status. */
const throttleCodes: ReadonlySet<string> = new Set(["TooManyRequests", "Throttling", "ThrottlingException"]);

// smithy walks ten levels too; a longer chain is almost certainly a cycle.
const maxCauseDepth = 10;

interface ErrorFacts {
  readonly statusCode?: number;
  readonly code?: string;
  readonly name?: string;
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

function* causeChain(error: unknown): Generator<ErrorFacts> {
  const seen = new Set<unknown>();
  let current: unknown = error;
  for (let depth = 0; depth < maxCauseDepth; depth++) {
    if (typeof current !== "object" || current === null || seen.has(current)) return;
    seen.add(current);
    const record = current as Record<string, unknown>;
    yield {
      statusCode: typeof record.statusCode === "number" ? record.statusCode : undefined,
      code: typeof record.code === "string" ? record.code : undefined,
      name: typeof record.name === "string" ? record.name : undefined,
      retryable: typeof record.retryable === "boolean" ? record.retryable : undefined,
      cause: record.cause,
    };
    current = record.cause;
  }
}

function isAbort(facts: ErrorFacts, error: unknown): boolean {
  return (
    error instanceof AbortedError ||
    facts.name === "AbortError" ||
    facts.code === "UND_ERR_ABORTED" ||
    facts.code === "UND_ERR_ABORT" ||
    facts.code === "ABORT_ERR"
  );
}

/**
 * Whether an HTTP answer is worth repeating: 429, 500, 502, 503, 504, and 409 only with the service code
 * `IncorrectState` (OCI's "the resource is busy, try again"; other 409s are real conflicts).
 */
export function isRetryableStatus(statusCode: number, code?: string): boolean {
  return retryableStatusCodes.has(statusCode) || (statusCode === 409 && code === "IncorrectState");
}

/**
 * Whether repeating the request that failed with `error` may succeed: a retryable HTTP answer (see
 * {@link isRetryableStatus}), a transient network failure, or an error that says `retryable: true` (as
 * fnstack's own errors do). An abort is never retryable. The `cause`
 * chain is walked, so a wrapped network error is recognised; the first error in the chain that carries
 * an HTTP status decides on its own.
 */
export function isRetryable(error: unknown): boolean {
  let current: unknown = error;
  for (const facts of causeChain(error)) {
    if (isAbort(facts, current)) return false;
    if (facts.statusCode !== undefined) return isRetryableStatus(facts.statusCode, facts.code);
    if (facts.retryable === true) return true;
    if (facts.code !== undefined && transientNetworkErrorCodes.has(facts.code)) return true;
    current = facts.cause;
  }
  return false;
}

/** Whether `error` (or an error in its `cause` chain) says the caller is being rate limited. */
export function isThrottle(error: unknown): boolean {
  for (const facts of causeChain(error)) {
    if (facts.statusCode === 429) return true;
    if (facts.code !== undefined && throttleCodes.has(facts.code)) return true;
  }
  return false;
}

/**
 * Whether the request behind a failed attempt may have reached the server, and so may have been carried
 * out. False only when the failure provably happened while connecting (refused, unreachable, DNS,
 * connect timeout). Any HTTP answer, a reset or timeout after the request was written, or anything
 * unknown counts as "may have".
 */
export function mayHaveReachedServer(error: unknown): boolean {
  for (const facts of causeChain(error)) {
    if (facts.statusCode !== undefined) return true;
    if (facts.code !== undefined && connectPhaseErrorCodes.has(facts.code)) return false;
  }
  return true;
}

/**
 * Whether the service answered that it did not carry the request out: 429 (throttled before any work)
 * and 409 `IncorrectState` (refused because of the resource's state). Such a request may be repeated
 * even when it is not idempotent.
 */
export function wasNotCarriedOut(error: unknown): boolean {
  for (const facts of causeChain(error)) {
    if (facts.statusCode === undefined) continue;
    return facts.statusCode === 429 || (facts.statusCode === 409 && facts.code === "IncorrectState");
  }
  return false;
}
