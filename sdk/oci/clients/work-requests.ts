/**
 * The OCI Work Requests API (`/20160918`, host `iaas.<region>.<domain>`), the seed's
 * `WorkRequestClient` (reference oci-api.md §2.4). Its lists answer bare JSON arrays.
 */
import type { WorkRequest, WorkRequestError, WorkRequestLogEntry } from "../types/work-requests";
import {
  arrayItems,
  call,
  type CallOptions,
  type ClientContext,
  type ListOptions,
  type OciResult,
  paginate,
  pathParam,
  wrappedItems,
} from "./common";

/** Reads a work request; `retryAfterMs` carries its `retry-after`. */
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
      path: `/workRequests/${pathParam(workRequestId)}`,
      resource: `work request ${workRequestId}`,
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
    items,
  );
}

/** Lists a work request's errors, oldest first. */
export function listWorkRequestErrors(
  ctx: ClientContext,
  workRequestId: string,
  options: ListOptions = {},
): AsyncGenerator<WorkRequestError, void, undefined> {
  return paginate<WorkRequestError>(
    ctx,
    {
      operation: "ListWorkRequestErrors",
      method: "GET",
      path: `/workRequests/${pathParam(workRequestId)}/errors`,
      query: { sortOrder: "ASC" },
    },
    options,
    items,
  );
}

/** Lists a work request's log lines, oldest first. */
export function listWorkRequestLogs(
  ctx: ClientContext,
  workRequestId: string,
  options: ListOptions = {},
): AsyncGenerator<WorkRequestLogEntry, void, undefined> {
  return paginate<WorkRequestLogEntry>(
    ctx,
    {
      operation: "ListWorkRequestLogs",
      method: "GET",
      path: `/workRequests/${pathParam(workRequestId)}/logs`,
      query: { sortOrder: "ASC" },
    },
    options,
    items,
  );
}

// The Work Requests API answers bare arrays (oci-api.md §9); `{items}` is accepted as well.
function items<T>(body: unknown): readonly T[] {
  return Array.isArray(body) ? arrayItems<T>(body) : wrappedItems<T>(body);
}
