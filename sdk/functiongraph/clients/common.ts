import type { ClientContext } from "../../core/client";
import { NotFoundError, ServiceError } from "../../core/errors";
import { send, type SendRequest } from "../../core/send";

/** Options every client operation takes last. */
export interface CallOptions {
  /** Aborts the request (and its retries). */
  readonly signal?: AbortSignal;
}

/** The context type every operation takes first; re-exported for callers of this module. */
export type { ClientContext };

/**
 * Encodes a path parameter for FunctionGraph: URNs keep a raw `:` (and `!` for alias qualifiers) on the
 * wire, as the official SDKs send them; the signer percent-encodes them in the canonical URI.
 */
export function pathParam(value: string): string {
  if (value.length === 0) throw new TypeError("a FunctionGraph path parameter must not be empty");
  return encodeURIComponent(value).replace(/%3A/gi, ":");
}

/** Sends one request and answers the parsed body (the shape every single-call operation has). */
export async function call<T>(ctx: ClientContext, request: SendRequest, options: CallOptions): Promise<T> {
  return (await send<T>(ctx, request, options)).body;
}

/** Default and maximum page size of FunctionGraph lists (`maxitems`). */
export const maxPageSize = 400;

/**
 * Follows FunctionGraph's offset-like `marker` pagination: starts at marker 0, stops when a page is
 * empty, or `next_marker` is missing, 0, not advancing, or at/after `count`.
 */
export async function* paginate<TPage, TItem>(
  fetchPage: (marker: string) => Promise<TPage>,
  itemsOf: (page: TPage) => readonly TItem[] | undefined,
  cursorOf: (page: TPage) => { next?: number; count?: number },
): AsyncGenerator<TItem, void, undefined> {
  let marker = "0";
  for (;;) {
    const page = await fetchPage(marker);
    const items = itemsOf(page) ?? [];
    yield* items;
    const { next, count } = cursorOf(page);
    if (items.length === 0 || next === undefined || next === null || Number(next) <= 0) return;
    if (String(next) === marker) return;
    if (count !== undefined && Number(next) >= Number(count)) return;
    marker = String(next);
  }
}

/** Validates a page size for `maxitems`: 1..400. */
export function pageSize(value: number | undefined): number {
  if (value === undefined) return maxPageSize;
  if (!Number.isInteger(value) || value < 1 || value > maxPageSize) {
    throw new TypeError(`pageSize must be an integer between 1 and ${maxPageSize}, got ${value}`);
  }
  return value;
}

/** Re-raises `err` as a NotFoundError (keeping code, status, request id and the cause). */
export function asNotFound(err: ServiceError, what: string): NotFoundError {
  return new NotFoundError(`${what} was not found (${err.code}: ${err.message})`, {
    code: err.code,
    statusCode: err.statusCode,
    requestId: err.requestId,
    cause: err,
  });
}

/** True when `err` is a service error with this status and (optionally) code. */
export function isServiceError(err: unknown, status: number, code?: string): err is ServiceError {
  return (
    err instanceof ServiceError && err.statusCode === status && (code === undefined || err.code === code)
  );
}

/**
 * Splits a function URN: `urn:fss:<region>:<project>:function:<package>:<name>[:<qualifier>]`. Returns
 * undefined when the text is not a 7- or 8-field function URN.
 */
export function parseFunctionUrn(
  urn: string,
): { region: string; projectId: string; packageName: string; name: string; qualifier?: string } | undefined {
  const parts = urn.split(":");
  if (parts.length < 7 || parts.length > 8) return undefined;
  if (parts[0] !== "urn" || parts[1] !== "fss" || parts[4] !== "function") return undefined;
  const [, , region = "", projectId = "", , packageName = "", name = "", qualifier] = parts;
  if (!region || !projectId || !packageName || !name) return undefined;
  return { region, projectId, packageName, name, qualifier: qualifier || undefined };
}

/** The function URN without a version or alias qualifier (7 fields); other text is returned as is. */
export function unqualifiedUrn(urn: string): string {
  const parsed = parseFunctionUrn(urn);
  if (parsed?.qualifier === undefined) return urn;
  return urn.slice(0, urn.lastIndexOf(":"));
}
