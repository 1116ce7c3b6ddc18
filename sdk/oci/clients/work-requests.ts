/**
 * The OCI Work Requests API (`/20160918`, host `iaas.<region>.<domain>`), the seed's
 * `WorkRequestClient` (reference oci-api.md §2.4). Its lists answer bare JSON arrays.
 */
import type { WorkRequest, WorkRequestError, WorkRequestLogEntry } from "../types/work-requests";
import {
  arrayOrWrappedItems,
  call,
  type CallOptions,
  type ClientContext,
  type ListOptions,
  type OciResult,
  paginate,
  resourceAt,
} from "./common";

/**
 * Reads a work request; `retryAfterMs` carries its `retry-after`. The path is the same in every OCI API
 * that has work requests (Container Instances too): `ctx` picks the API.
 */
export function getWorkRequest(
  ctx: ClientContext,
  workRequestId: string,
  options: CallOptions = {},
): Promise<OciResult<WorkRequest>> {
  return call<WorkRequest>(
    ctx,
    {
      operation: "GetWorkRequest",
      method: "GET",
      ...resourceAt("workRequests", "work request", workRequestId),
    },
    options,
  );
}

/** Lists work requests of a compartment (optionally about one resource). */
export function listWorkRequests(
  ctx: ClientContext,
  filter: { readonly compartmentId: string; readonly resourceId?: string },
  options: ListOptions = {},
): AsyncGenerator<WorkRequest, void, undefined> {
  return paginate<WorkRequest>(
    ctx,
    { operation: "ListWorkRequests", method: "GET", path: "/workRequests", query: { ...filter } },
    options,
    arrayOrWrappedItems,
  );
}

/**
 * A list operation over one of a work request's sub-collections (`errors`, `logs`), oldest first:
 * `query` holds the API's sort parameters, `itemsOf` reads its page bodies.
 */
export function workRequestEntries<T>(
  operation: string,
  collection: "errors" | "logs",
  query: Readonly<Record<string, string>>,
  itemsOf: (body: unknown) => readonly T[],
): (ctx: ClientContext, workRequestId: string, options?: ListOptions) => AsyncGenerator<T, void, undefined> {
  return (ctx, workRequestId, options = {}) =>
    paginate<T>(
      ctx,
      {
        operation,
        method: "GET",
        path: resourceAt("workRequests", "work request", workRequestId, `/${collection}`).path,
        query,
      },
      options,
      itemsOf,
    );
}

/** Lists a work request's errors, oldest first. */
export const listWorkRequestErrors = workRequestEntries<WorkRequestError>(
  "ListWorkRequestErrors",
  "errors",
  { sortOrder: "ASC" },
  arrayOrWrappedItems,
);

/** Lists a work request's log lines, oldest first. */
export const listWorkRequestLogs = workRequestEntries<WorkRequestLogEntry>(
  "ListWorkRequestLogs",
  "logs",
  { sortOrder: "ASC" },
  arrayOrWrappedItems,
);
