import { OciErrors } from "./errors";

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

/** Sorts by a field with a stable tie-break on creation order; `sortOrder` ASC (default) or DESC. */
export function sortItems<T extends { seq: number }>(
  items: T[],
  query: URLSearchParams,
  keys: Readonly<Record<string, (item: T) => string>>,
  defaultKey: string,
  defaultOrder: "ASC" | "DESC" = "ASC",
): T[] {
  const sortBy = query.get("sortBy") ?? defaultKey;
  const key = keys[sortBy];
  if (key === undefined) {
    throw OciErrors.invalidParameter(
      `sortBy must be one of ${Object.keys(keys).join(", ")}, got '${sortBy}'`,
    );
  }
  const order = query.get("sortOrder") ?? defaultOrder;
  if (order !== "ASC" && order !== "DESC")
    throw OciErrors.invalidParameter(`sortOrder must be ASC or DESC, got '${order}'`);
  const sign = order === "ASC" ? 1 : -1;
  return items.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return (ka < kb ? -1 : ka > kb ? 1 : a.seq - b.seq) * sign;
  });
}
