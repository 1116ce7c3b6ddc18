import type { ClientContext } from "../../core/client";
import { parseRetryAfter } from "../../core/retry";
import { send, type SendRequest, type SendResponse } from "../../core/send";

export type { ClientContext };

/** Options every client operation takes last. */
export interface CallOptions {
  /** Aborts the request and its retries. */
  readonly signal?: AbortSignal;
}

/** What a mutating or reading operation answers besides its body. */
export interface OciResult<T> {
  /** The response body (undefined for operations that answer without one). */
  readonly value: T;
  /** `etag` of the resource, for a later `if-match`. */
  readonly etag?: string;
  /** `opc-request-id`, for support tickets. */
  readonly requestId?: string;
  /** `opc-work-request-id`, on operations that start a work request. */
  readonly workRequestId?: string;
  /** `retry-after` in milliseconds, when the service sent one. */
  readonly retryAfterMs?: number;
}

/** Options of operations that take an `if-match` etag. */
export interface IfMatchOptions extends CallOptions {
  /** Only act if the resource still has this etag (412 `NoEtagMatch` otherwise). */
  readonly ifMatch?: string;
}

/** Options of a list operation. */
export interface ListOptions extends CallOptions {
  /** Page size; the services default to 10 and accept at most 50 (Functions) or 100. */
  readonly limit?: number;
}

/** Encodes an OCID or other path parameter (OCI SDKs use `encodeURIComponent`). */
export function pathParam(value: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError("an OCI path parameter must be a non-empty string");
  }
  return encodeURIComponent(value);
}

/** An `if-match` header when an etag is given, else none. */
export function ifMatch(etag: string | undefined): Record<string, string> | undefined {
  return etag === undefined ? undefined : { "if-match": etag };
}

/**
 * The path and the message name of one resource: `/<collection>/<id>[/<suffix>]` (the id encoded) and
 * `<noun> <id>`.
 */
export function resourceAt(
  collection: string,
  noun: string,
  id: string,
  suffix = "",
): { readonly path: string; readonly resource: string } {
  return { path: `/${collection}/${pathParam(id)}${suffix}`, resource: `${noun} ${id}` };
}

/** Sends `request` and wraps its body with the etag, request id, work request id and retry-after. */
export function call<T>(
  ctx: ClientContext,
  request: SendRequest,
  options: CallOptions = {},
): Promise<OciResult<T>> {
  // `then`, not `await`: no async frame held while the request waits for the rate limiter (issue 12).
  return send<T>(ctx, request, { signal: options.signal }).then(toResult);
}

/** {@link call} with the `if-match` header of `options.ifMatch`, when given. */
export function callIfMatch<T>(
  ctx: ClientContext,
  request: Omit<SendRequest, "headers">,
  options: IfMatchOptions = {},
): Promise<OciResult<T>> {
  return call<T>(ctx, { ...request, headers: ifMatch(options.ifMatch) }, options);
}

/** Wraps a response as an {@link OciResult}. */
export function toResult<T>(response: SendResponse<T>): OciResult<T> {
  const headers = response.headers;
  return {
    value: response.body,
    etag: headers["etag"],
    requestId: response.requestId ?? headers["opc-request-id"],
    workRequestId: headers["opc-work-request-id"],
    retryAfterMs: parseRetryAfter(headers["retry-after"]),
  };
}

/** `retry-after` in milliseconds (delta seconds or an HTTP date); the transport's parser, re-exported. */
export { parseRetryAfter };

/**
 * Follows OCI pagination: sends the first page without `page`, then passes each `opc-next-page` back
 * as `page=` until a response has none. `itemsOf` picks the items out of a page body (Functions and
 * the Work Requests API answer bare arrays, Container Instances `{items: [...]}`).
 */
export async function* paginate<TItem>(
  ctx: ClientContext,
  request: SendRequest,
  options: ListOptions,
  itemsOf: (body: unknown) => readonly TItem[],
): AsyncGenerator<TItem, void, undefined> {
  let page: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const query = { ...request.query, limit: options.limit, page };
    const response = await send<unknown>(ctx, { ...request, query }, { signal: options.signal });
    yield* itemsOf(response.body);
    const next = response.headers["opc-next-page"];
    // A page token seen before would loop forever; a misbehaving server must not hang a deployment.
    if (next === undefined || next === "" || seen.has(next)) return;
    seen.add(next);
    page = next;
  }
}

/** Items of a bare-array page body. */
export function arrayItems<T>(body: unknown): readonly T[] {
  return Array.isArray(body) ? (body as T[]) : [];
}

/** Items of a `{items: [...]}` page body. */
export function wrappedItems<T>(body: unknown): readonly T[] {
  if (typeof body === "object" && body !== null && Array.isArray((body as { items?: unknown }).items)) {
    return (body as { items: T[] }).items;
  }
  return [];
}

/**
 * Items of a page body that should be a bare array (Functions, the Work Requests API: oci-api.md §9);
 * `{items}` is accepted as well, so a proxy wrapping them does no harm.
 */
export function arrayOrWrappedItems<T>(body: unknown): readonly T[] {
  return Array.isArray(body) ? arrayItems<T>(body) : wrappedItems<T>(body);
}

/** Collects an async iterator into an array (at most `max` items, default unlimited). */
export async function collect<T>(items: AsyncIterable<T>, max = Number.POSITIVE_INFINITY): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) {
    result.push(item);
    if (result.length >= max) break;
  }
  return result;
}
