import type { EmulatorResponse } from "../service";
import { OciErrors } from "./errors";
import { type OciCall, ociResponse } from "./store";

/** Page-size bounds of a list operation. */
export interface PageBounds {
  /** Items per page when `limit` is absent. */
  readonly defaultLimit: number;
  /** Largest accepted `limit`; larger values are clamped to it. */
  readonly maxLimit: number;
}

/**
 * Cuts one page out of `items` by `limit` and `page`. Page tokens are URL-safe (base64url), because the
 * OCI SDK does not URL-encode query values (oci-api.md §9). Returns the `opc-next-page` value too.
 */
export function paginate<T>(
  items: readonly T[],
  query: URLSearchParams,
  bounds: PageBounds,
): { page: T[]; next?: string } {
  const limitText = query.get("limit");
  let limit = bounds.defaultLimit;
  if (limitText !== null) {
    const n = Number(limitText);
    if (!/^\d+$/.test(limitText) || !Number.isSafeInteger(n) || n < 1) {
      throw OciErrors.invalidParameter(`limit must be an integer ≥ 1, got '${limitText}'`);
    }
    limit = Math.min(n, bounds.maxLimit);
  }
  const token = query.get("page");
  let offset = 0;
  if (token !== null) {
    const decoded = decodePageToken(token);
    if (decoded === undefined) throw OciErrors.invalidParameter(`Invalid page token '${token}'`);
    offset = decoded;
  }
  const page = items.slice(offset, offset + limit);
  const nextOffset = offset + page.length;
  return { page, next: nextOffset < items.length ? encodePageToken(nextOffset) : undefined };
}

function encodePageToken(offset: number): string {
  return Buffer.from(`fnstack:${offset}`, "utf8").toString("base64url");
}

function decodePageToken(token: string): number | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const match = /^fnstack:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  return match === null ? undefined : Number(match[1]);
}

/** The order a list takes when the caller gives no `sortOrder`: one for all keys, or one per key. */
export type DefaultSortOrder = "ASC" | "DESC" | Readonly<Record<string, "ASC" | "DESC">>;

/**
 * Sorts by a field with a stable tie-break on creation order; `sortOrder` ASC or DESC, else
 * `defaultOrder` (for the chosen key when it is given per key; ASC for keys it does not name).
 */
export function sortItems<T extends { seq: number }>(
  items: T[],
  query: URLSearchParams,
  keys: Readonly<Record<string, (item: T) => string>>,
  defaultKey: string,
  defaultOrder: DefaultSortOrder = "ASC",
): T[] {
  const sortBy = query.get("sortBy") ?? defaultKey;
  const key = keys[sortBy];
  if (key === undefined) {
    throw OciErrors.invalidParameter(
      `sortBy must be one of ${Object.keys(keys).join(", ")}, got '${sortBy}'`,
    );
  }
  const order =
    query.get("sortOrder") ??
    (typeof defaultOrder === "string" ? defaultOrder : (defaultOrder[sortBy] ?? "ASC"));
  if (order !== "ASC" && order !== "DESC")
    throw OciErrors.invalidParameter(`sortOrder must be ASC or DESC, got '${order}'`);
  const sign = order === "ASC" ? 1 : -1;
  return items.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return (ka < kb ? -1 : ka > kb ? 1 : a.seq - b.seq) * sign;
  });
}

/** A required query parameter; `MissingParameter` when absent or empty. */
export function requiredQuery(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (value === null || value === "") throw OciErrors.missingParameter(name);
  return value;
}

/** An optional query parameter restricted to `values`; null when absent, `InvalidParameter` otherwise. */
export function queryEnum(query: URLSearchParams, name: string, values: readonly string[]): string | null {
  const value = query.get(name);
  if (value !== null && !values.includes(value))
    throw OciErrors.invalidParameter(`${name} must be one of ${values.join(", ")}, got '${value}'`);
  return value;
}

/**
 * One page of `items` (by the call's `limit` and `page`) as a 200 with `opc-next-page` when more follow.
 * `shape` is how the API wraps a list: `{items: [...]}` (Container Instances, PBF) or a bare array
 * (Functions, the compute Work Requests API).
 */
export function pagedResponse<T>(
  call: OciCall,
  items: readonly T[],
  bounds: PageBounds,
  view: (item: T) => unknown,
  shape: "items" | "array",
): EmulatorResponse {
  const { page, next } = paginate(items, call.request.query, bounds);
  const views = page.map(view);
  return ociResponse(
    call,
    200,
    shape === "items" ? { items: views } : views,
    next === undefined ? {} : { "opc-next-page": next },
  );
}
