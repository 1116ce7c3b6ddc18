import { randomUUID } from "node:crypto";
import type { Dispatcher } from "undici";
import {
  defaultConnectTimeoutMs,
  defaultReadTimeoutMs,
  sharedDispatcher,
  type ClientContext,
} from "./client";
import { isRetryable, isRetryableStatus, isThrottle } from "./classify";
import {
  AbortedError,
  AuthenticationError,
  ConflictError,
  type FnstackErrorOptions,
  NetworkError,
  NotFoundError,
  PreconditionFailedError,
  ServiceError,
  ThrottledError,
} from "./errors";
import type { HttpMethod, OutgoingRequest, StreamedBody } from "./request";
import { type AdaptiveRateLimiter, rateLimiterFor } from "./rate-limiter";
import { parseRetryAfter, retry } from "./retry";
import { userAgent } from "./version";

/** One logical API call; {@link send} may make several attempts of it. */
export interface SendRequest {
  /** The API operation, e.g. `GetFunction`; used in error messages and logs. */
  readonly operation: string;
  readonly method: HttpMethod;
  /**
   * Path appended to the context endpoint's pathname, starting with `/`. The caller encodes path
   * parameters (OCI: `encodeURIComponent`; FunctionGraph URNs keep a raw `:`).
   */
  readonly path: string;
  /**
   * Query parameters, encoded with `encodeURIComponent` in the order given; undefined values are
   * skipped, arrays repeat the name.
   */
  readonly query?: Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;
  /** Extra request headers (any case; sent lowercase). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Request body: a plain object or array is sent as JSON (`content-type: application/json`); a Buffer
   * or string is sent as is (`content-type` defaults to `application/octet-stream`).
   */
  readonly body?: unknown;
  /**
   * A body streamed from its source instead of `body` (never both), with `content-length` and the
   * signed hash taken from it; `content-type` defaults to `application/octet-stream`. It is opened
   * anew for each attempt.
   */
  readonly streamedBody?: StreamedBody;
  /**
   * Name of the header carrying an idempotency token (e.g. `opc-retry-token`). When set, the POST or
   * PATCH is idempotent and may be retried after it may have reached the server; if `headers` has no
   * value for it, one random token is generated per call and sent with every attempt.
   */
  readonly idempotencyTokenHeader?: string;
  /** What the call is about, for messages: `function ocid1.fnfunc…`. */
  readonly resource?: string;
  /** How to read a 2xx body. Default `json` (an empty body gives undefined). */
  readonly responseType?: "json" | "text" | "buffer";
}

/** A 2xx answer. */
export interface SendResponse<T> {
  readonly statusCode: number;
  /** Response headers, names lowercase; repeated headers joined with `, `. */
  readonly headers: Record<string, string>;
  readonly body: T;
  /** `opc-request-id` or `x-request-id`, when the service sent one. */
  readonly requestId?: string;
  /** Attempts made, from 1. */
  readonly attempts: number;
}

/** Options of {@link send}. */
export interface SendOptions {
  /** Aborts the attempt in flight and any wait; `send` then rejects with an {@link AbortedError}. */
  readonly signal?: AbortSignal;
}

const idempotentMethods: ReadonlySet<HttpMethod> = new Set(["GET", "HEAD", "PUT", "DELETE"]);

// Bodies of errors are read whole (they are small); the message quotes at most this much of them.
const maxQuotedMessageLength = 500;

/**
 * Sends one API call through the context's dispatcher, with retries ({@link retry}, policy from
 * `ctx.retry`). Each attempt is a fresh {@link OutgoingRequest} signed by `ctx.signer`, so each carries
 * its own date and signature. Every response body is read or discarded, so connections go back to the
 * pool.
 *
 * Rejects with: a {@link ServiceError} subclass for a non-2xx answer (404 {@link NotFoundError}, 409
 * {@link ConflictError}, 412 {@link PreconditionFailedError}, 429 {@link ThrottledError}, 401/403
 * {@link AuthenticationError}), carrying the service's code and message, the status and the request id;
 * a {@link NetworkError} (with the undici error as `cause`) when no answer came; an {@link AbortedError}
 * when `options.signal` aborted. Errors never include request headers or bodies, which may hold
 * secrets.
 */
export async function send<T = unknown>(
  ctx: ClientContext,
  request: SendRequest,
  options: SendOptions = {},
): Promise<SendResponse<T>> {
  validate(ctx, request);
  const { signal } = options;
  const url = buildUrl(ctx.endpoint, request);
  const { headers, body } = baseHeadersAndBody(request);
  const tokenHeader = request.idempotencyTokenHeader?.toLowerCase();
  if (tokenHeader !== undefined && headers[tokenHeader] === undefined) headers[tokenHeader] = randomUUID();
  const idempotent = idempotentMethods.has(request.method) || tokenHeader !== undefined;
  const dispatcher = ctx.dispatcher ?? sharedDispatcher(ctx.connectTimeoutMs ?? defaultConnectTimeoutMs);
  const readTimeoutMs = ctx.readTimeoutMs ?? defaultReadTimeoutMs;
  const limiter = limiterOf(ctx);

  // `then`, not `await`: no async frame of its own held while the request waits (issue 12).
  return retry(
    async () => {
      // The permit comes before signing, so the signed date is that of the moment the request leaves.
      const permit = await limiter?.acquire(signal);
      try {
        const outgoing: OutgoingRequest = {
          method: request.method,
          url: new URL(url),
          headers: { ...headers },
        };
        if (body !== undefined) (outgoing as { body?: Buffer }).body = body;
        if (request.streamedBody !== undefined) {
          (outgoing as { streamedBody?: StreamedBody }).streamedBody = request.streamedBody;
        }
        await ctx.signer.sign(outgoing, { signal });
        const answer = await attempt<T>(ctx, dispatcher, outgoing, request, readTimeoutMs, signal);
        permit?.release({ answered: true });
        return answer;
      } catch (error) {
        permit?.release({ throttled: isThrottle(error), answered: error instanceof ServiceError });
        throw error;
      }
    },
    {
      policy: ctx.retry,
      idempotent,
      signal,
      description: describe(request),
      pacedThrottles: limiter !== undefined,
    },
  ).then((result) => ({ ...result.value, attempts: result.attempts }));
}

/** The process-wide limiter of the context's scope, or undefined when the context opts out. */
function limiterOf(ctx: ClientContext): AdaptiveRateLimiter | undefined {
  if (ctx.rateLimit === false) return undefined;
  const scope = `${ctx.endpoint.origin}${ctx.endpoint.pathname} ${ctx.rateLimit?.scope ?? ""}`;
  return rateLimiterFor(scope, ctx.endpoint.origin, ctx.rateLimit?.defaultRequestsPerSecond);
}

const methods: ReadonlySet<string> = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]);

function validate(ctx: ClientContext, request: SendRequest): void {
  if (!(ctx?.endpoint instanceof URL)) throw new TypeError("Expected `endpoint` to be a URL");
  if (typeof ctx.signer?.sign !== "function") throw new TypeError("Expected `signer` to be a RequestSigner");
  if (typeof ctx.parseErrorBody !== "function")
    throw new TypeError("Expected `parseErrorBody` to be a function");
  for (const key of ["connectTimeoutMs", "readTimeoutMs"] as const) {
    const value = ctx[key];
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value) || value <= 0)) {
      throw new TypeError(`Expected \`${key}\` to be a positive finite number of milliseconds`);
    }
  }
  if (typeof request?.operation !== "string" || request.operation === "") {
    throw new TypeError("Expected `operation` to be a non-empty string");
  }
  if (!methods.has(request.method)) throw new TypeError("Expected `method` to be an HTTP method");
  const streamed = request.streamedBody;
  if (streamed !== undefined) {
    if (request.body !== undefined) throw new TypeError("Expected `body` or `streamedBody`, not both");
    if (
      !Number.isSafeInteger(streamed.length) ||
      streamed.length < 0 ||
      typeof streamed.open !== "function"
    ) {
      throw new TypeError("Expected `streamedBody` to have a non-negative integer `length` and an `open()`");
    }
  }
  if (typeof request.path !== "string" || !request.path.startsWith("/")) {
    throw new TypeError("Expected `path` to start with `/`");
  }
}

function buildUrl(endpoint: URL, request: SendRequest): URL {
  let search = "";
  const query = request.query;
  if (query !== undefined) {
    for (const name of Object.keys(query)) {
      const value = query[name];
      if (value === undefined) continue;
      const values = Array.isArray(value) ? (value as readonly string[]) : [String(value)];
      for (const v of values)
        search += `${search === "" ? "?" : "&"}${encodeURIComponent(name)}=${encodeURIComponent(v)}`;
    }
  }
  // One parse of the whole text: each URL setter re-parses the URL (issue 12 counts every request's garbage).
  // `?` and `#` stay part of the path, as the pathname setter this replaced kept them.
  const path = endpoint.pathname.replace(/\/+$/, "") + request.path.replace(/[?#]/g, encodeURIComponent);
  return new URL(`${endpoint.origin}${path}${search}`);
}

function baseHeadersAndBody(request: SendRequest): { headers: Record<string, string>; body?: Buffer } {
  const headers: Record<string, string> = { accept: "application/json", "user-agent": userAgent };
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  let body: Buffer | undefined;
  if (request.streamedBody !== undefined) {
    headers["content-type"] ??= "application/octet-stream";
    headers["content-length"] = String(request.streamedBody.length);
    return { headers };
  }
  if (request.body === undefined) {
    // OCI signs content-length on every POST/PUT/PATCH, empty bodies included (oci-api.md §4).
    if (request.method === "POST" || request.method === "PUT" || request.method === "PATCH") {
      headers["content-length"] = "0";
    }
    return { headers };
  }
  if (Buffer.isBuffer(request.body) || typeof request.body === "string") {
    body = Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, "utf8");
    headers["content-type"] ??= "application/octet-stream";
  } else {
    body = Buffer.from(JSON.stringify(request.body), "utf8");
    headers["content-type"] ??= "application/json";
  }
  headers["content-length"] = String(body.length);
  return { headers, body };
}

interface AttemptResult<T> {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: T;
  readonly requestId?: string;
}

async function attempt<T>(
  ctx: ClientContext,
  dispatcher: Dispatcher,
  outgoing: OutgoingRequest,
  request: SendRequest,
  readTimeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<AttemptResult<T>> {
  let response: Dispatcher.ResponseData;
  // Opened only now, after signing, and anew for each attempt: a stream can be read once.
  const stream = outgoing.streamedBody?.open();
  try {
    response = await dispatcher.request({
      origin: outgoing.url.origin,
      path: outgoing.url.pathname + outgoing.url.search,
      method: outgoing.method,
      headers: outgoing.headers,
      body: outgoing.body ?? stream,
      signal,
      headersTimeout: readTimeoutMs,
      bodyTimeout: readTimeoutMs,
    });
  } catch (error) {
    stream?.destroy(); // closes the file if the request failed before reading it all
    throw transportError(error, request, outgoing.url, signal);
  }

  const headers = flattenHeaders(response.headers);
  const requestId = headers["opc-request-id"] ?? headers["x-request-id"];
  const receivedAt = Date.now();
  let buffer: Buffer;
  try {
    buffer = Buffer.from(await response.body.arrayBuffer());
  } catch (error) {
    // Reading failed half way: destroy the body so the socket is not reused in an unknown state.
    response.body.destroy();
    throw transportError(error, request, outgoing.url, signal);
  }

  const { statusCode } = response;
  if (statusCode < 200 || statusCode > 299) {
    throw serviceError(ctx, request, statusCode, headers, buffer.toString("utf8"), requestId, receivedAt);
  }
  return { statusCode, headers, requestId, body: decodeBody<T>(request, statusCode, buffer, requestId) };
}

function decodeBody<T>(request: SendRequest, statusCode: number, buffer: Buffer, requestId?: string): T {
  const type = request.responseType ?? "json";
  if (type === "buffer") return buffer as T;
  const text = buffer.toString("utf8");
  if (type === "text") return text as T;
  if (text.trim() === "") return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new ServiceError(
      `${describe(request)} failed: the service answered HTTP ${statusCode} with a body that is not JSON` +
        suffix(requestId),
      { code: "InvalidResponseBody", statusCode, requestId, cause: error },
    );
  }
}

function flattenHeaders(raw: Dispatcher.ResponseData["headers"]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(raw)) {
    const value = raw[name];
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function describe(request: SendRequest): string {
  return request.resource === undefined ? request.operation : `${request.operation} on ${request.resource}`;
}

function suffix(requestId: string | undefined): string {
  return requestId === undefined ? "" : ` (request id ${requestId})`;
}

// What to do next, by status; the service's own message says what went wrong.
function hintFor(statusCode: number): string {
  switch (statusCode) {
    case 401:
      return " Check the credentials (key, fingerprint, access key) and that the clock is correct.";
    case 403:
      return " Check that the credentials are allowed to perform this operation.";
    case 404:
      return " Check that the resource exists and that the credentials may see it.";
    case 429:
      return " The service is rate limiting this account; retry later or lower the request rate.";
    default:
      return "";
  }
}

function serviceError(
  ctx: ClientContext,
  request: SendRequest,
  statusCode: number,
  headers: Record<string, string>,
  bodyText: string,
  requestId: string | undefined,
  receivedAt: number,
): ServiceError {
  let parsed: { code?: string; message?: string; final?: boolean } = {};
  try {
    parsed = ctx.parseErrorBody(statusCode, headers, bodyText) ?? {};
  } catch {
    // A parser that throws on a strange body must not hide the HTTP error itself.
  }
  const code = parsed.code ?? `HTTP${statusCode}`;
  const serviceMessage = quote(parsed.message);
  const options: FnstackErrorOptions = {
    code,
    statusCode,
    requestId,
    retryable: isRetryableStatus(statusCode, parsed.code),
    retryAfterMs: parseRetryAfter(headers["retry-after"], receivedAt),
  };
  const message =
    `${describe(request)} failed: HTTP ${statusCode} ${code}` +
    (serviceMessage === undefined ? "" : `: ${serviceMessage}`) +
    suffix(requestId) +
    "." +
    (parsed.final === true ? "" : hintFor(statusCode));
  // A definitive answer carries no status: retrying and throttling are decided by status (classify.ts).
  if (parsed.final === true) return new ServiceError(message, { code, requestId, retryable: false });
  switch (statusCode) {
    case 401:
    case 403:
      return new AuthenticationError(message, options);
    case 404:
      return new NotFoundError(message, options);
    case 409:
      return new ConflictError(message, options);
    case 412:
      return new PreconditionFailedError(message, options);
    case 429:
      return new ThrottledError(message, options);
    default:
      return new ServiceError(message, options);
  }
}

function quote(message: string | undefined): string | undefined {
  if (message === undefined) return undefined;
  const oneLine = message.replace(/\s+/g, " ").trim();
  if (oneLine === "") return undefined;
  return oneLine.length > maxQuotedMessageLength ? `${oneLine.slice(0, maxQuotedMessageLength)}…` : oneLine;
}

function networkHint(code: string): string {
  switch (code) {
    case "ENOTFOUND":
      return " The host name does not resolve: check the region and the endpoint override.";
    case "ECONNREFUSED":
      return " Nothing accepts connections there: check the endpoint (is the emulator running?).";
    case "UND_ERR_CONNECT_TIMEOUT":
      return " Could not connect in time: check the network, proxy or firewall, or raise connectTimeoutMs.";
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
      return " The service was silent for longer than readTimeoutMs.";
    default:
      return "";
  }
}

function transportError(
  error: unknown,
  request: SendRequest,
  url: URL,
  signal: AbortSignal | undefined,
): Error {
  if (signal?.aborted) {
    return new AbortedError(`${describe(request)} was aborted`, { code: "Aborted", cause: signal.reason });
  }
  const code =
    typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "string"
      ? (error as { code: string }).code
      : "NetworkError";
  const reason = error instanceof Error ? error.message : String(error);
  // Only the host: a path or query could carry identifiers the caller did not choose to show.
  const message = `${describe(request)} failed: no answer from ${url.host}: ${code}: ${reason}.${networkHint(code)}`;
  return new NetworkError(message, {
    code,
    cause: error,
    retryable: isRetryable(error),
  });
}
