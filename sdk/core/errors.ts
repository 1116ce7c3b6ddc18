/**
 * The one error tree of fnstack. Every failure that leaves `sdk/` or `provider/` is one of these, so
 * callers can branch on `code`, `statusCode` and `retryable` without parsing messages. Each class is
 * recognised by a brand (a `Symbol.for` key), so `instanceof` holds across two copies of the package.
 */

const brandKey = Symbol.for("fnstack.error");

/** Fields every {@link FnstackError} may carry. All are JSON-safe. */
export interface FnstackErrorOptions {
  /** The service's error code (`NotAuthorizedOrNotFound`, `FSS.1051`) or a fnstack code. */
  readonly code?: string;
  /** HTTP status of the response that caused the error, when there was one. */
  readonly statusCode?: number;
  /** The service's request id (`opc-request-id`, `X-Request-Id`), for support tickets. */
  readonly requestId?: string;
  /** Whether repeating the same request may succeed. */
  readonly retryable?: boolean;
  /** The error this one wraps. */
  readonly cause?: unknown;
  /** How many attempts were made before giving up (set by the retry loop). */
  readonly attempts?: number;
  /** How long the service asked the caller to wait before trying again (`Retry-After`), in milliseconds. */
  readonly retryAfterMs?: number;
}

/** Base class of every fnstack error. */
export class FnstackError extends Error {
  /** Service or fnstack error code. */
  readonly code: string;
  /** HTTP status, when the error came from a response. */
  readonly statusCode?: number;
  /** Service request id, when the error came from a response. */
  readonly requestId?: string;
  /** Whether repeating the request may succeed. */
  readonly retryable: boolean;
  /** Attempts made, when the error left a retry loop. */
  attempts?: number;
  /** The service's `Retry-After`, in milliseconds from when the answer arrived; undefined when absent. */
  readonly retryAfterMs?: number;

  constructor(message: string, options: FnstackErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? "FnstackError";
    this.statusCode = options.statusCode;
    this.requestId = options.requestId;
    this.retryable = options.retryable ?? false;
    this.attempts = options.attempts;
    this.retryAfterMs = options.retryAfterMs;
    (this as unknown as Record<symbol, string[]>)[brandKey] = brandsOf(new.target);
  }

  /** True when `value` is a FnstackError (or subclass), even from another copy of the package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== "object" || value === null) return false;
    const brands = (value as Record<symbol, unknown>)[brandKey];
    return Array.isArray(brands) && brands.includes(this.name);
  }
}

type ErrorClass = abstract new (...args: never[]) => unknown;

/** Names of a class and its ancestors up to FnstackError: what `instanceof` checks against. */
function brandsOf(ctor: ErrorClass): string[] {
  const names: string[] = [];
  for (let c: unknown = ctor; typeof c === "function"; c = Object.getPrototypeOf(c)) {
    names.push((c as ErrorClass).name);
    if (c === FnstackError) break;
  }
  return names;
}

/** A non-2xx answer from a cloud API. */
export class ServiceError extends FnstackError {}

/** 404: the resource does not exist (or, on OCI, the caller may not see it). */
export class NotFoundError extends ServiceError {}

/** 409: the request conflicts with the resource's state or an existing name. */
export class ConflictError extends ServiceError {}

/** 429: the caller is being rate limited. */
export class ThrottledError extends ServiceError {}

/** 412: an `if-match` etag no longer matches. */
export class PreconditionFailedError extends ServiceError {}

/** 401/403: the credentials were refused. */
export class AuthenticationError extends ServiceError {}

/** The request never got an HTTP answer (connect/read timeout, reset, DNS). */
export class NetworkError extends FnstackError {}

/** The caller's `signal` aborted the operation. */
export class AbortedError extends FnstackError {}

/** Fields of a {@link WaitTimeoutError}. */
export interface WaitTimeoutDetails {
  /** What was being waited for, e.g. `function ocid1.fnfunc… to become ACTIVE`. */
  readonly waitingFor: string;
  /** The last state observed, e.g. `CREATING`; undefined if no poll answered. */
  readonly lastSeen?: string;
  /** How many polls ran. */
  readonly polls: number;
  /** The deadline that ran out, in milliseconds. */
  readonly timeoutMs: number;
}

/** A waiter reached its deadline before the operation finished. */
export class WaitTimeoutError extends FnstackError {
  /** What was waited for and what was seen last. */
  readonly details: WaitTimeoutDetails;
  constructor(message: string, details: WaitTimeoutDetails, options: FnstackErrorOptions = {}) {
    super(message, { code: "WaitTimeout", ...options });
    this.details = details;
  }
}

/** One error entry of a failed work request. */
export interface WorkRequestErrorEntry {
  readonly code: string;
  readonly message: string;
  readonly timestamp?: string;
}

/** A work request (or a lifecycle wait) ended FAILED or CANCELED. */
export class WorkRequestFailedError extends FnstackError {
  /** Id of the work request. */
  readonly workRequestId: string;
  /** Its terminal status (`FAILED`, `CANCELED`). */
  readonly status: string;
  /** The work request's errors, as the service listed them. */
  readonly errors: readonly WorkRequestErrorEntry[];
  /** The last log messages, newest last. */
  readonly logs: readonly string[];
  constructor(
    message: string,
    details: {
      workRequestId: string;
      status: string;
      errors?: readonly WorkRequestErrorEntry[];
      logs?: readonly string[];
    },
    options: FnstackErrorOptions = {},
  ) {
    super(message, { code: "WorkRequestFailed", ...options });
    this.workRequestId = details.workRequestId;
    this.status = details.status;
    this.errors = details.errors ?? [];
    this.logs = details.logs ?? [];
  }
}

/** Credentials, endpoints or config files are missing or malformed. Never carries a secret value. */
export class ConfigurationError extends FnstackError {
  constructor(message: string, options: FnstackErrorOptions = {}) {
    super(message, { code: "ConfigurationError", ...options });
  }
}

/** One rejected input field. */
export interface ValidationFailure {
  /** Dotted path of the input, e.g. `containers[0].imageUrl`. */
  readonly property: string;
  /** The rule it broke, e.g. `must be one of GENERIC_X86, GENERIC_ARM`. */
  readonly reason: string;
}

/** Inputs broke the API's rules; raised before any request is sent. */
export class ValidationError extends FnstackError {
  /** Every failure found, not just the first. */
  readonly failures: readonly ValidationFailure[];
  constructor(failures: readonly ValidationFailure[], options: FnstackErrorOptions = {}) {
    super(failures.map((f) => `${f.property}: ${f.reason}`).join("; "), {
      code: "ValidationError",
      ...options,
    });
    this.failures = failures;
  }
}
