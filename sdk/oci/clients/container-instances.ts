/**
 * OCI Container Instances (`/20210415`): instances, their containers, shapes and the service's own
 * work requests (reference oci-api.md §2.3, §2.4). Every mutation starts a work request whose id is
 * in `OciResult.workRequestId`; create also answers the instance, id included.
 */
import { randomUUID } from "node:crypto";
import type {
  Container,
  ContainerInstance,
  ContainerInstanceLifecycleState,
  ContainerInstanceShape,
  ContainerInstanceSummary,
  ContainerSummary,
  CreateContainerInstanceDetails,
  UpdateDisplayNameAndTags,
} from "../types/container-instances";
import type {
  WorkRequest,
  WorkRequestError,
  WorkRequestLogEntry,
  WorkRequestStatus,
} from "../types/work-requests";
import {
  call,
  callIfMatch,
  type CallOptions,
  type ClientContext,
  type IfMatchOptions,
  type ListOptions,
  type OciResult,
  paginate,
  resourceAt,
  wrappedItems,
} from "./common";
import { getWorkRequest, workRequestEntries } from "./work-requests";

export type { IfMatchOptions };

/** Options of CreateContainerInstance. */
export interface CreateContainerInstanceOptions extends CallOptions {
  /**
   * `opc-retry-token`: one per logical create, the same on every retry of it, so a create whose answer
   * was lost is not done twice. Default: a new random token (use {@link newRetryToken} and pass it to
   * keep it across calls).
   */
  readonly retryToken?: string;
}

/** A fresh `opc-retry-token` (at most 64 characters, as OCI allows). */
export function newRetryToken(): string {
  return randomUUID().replace(/-/g, "");
}

/** Filters of ListContainerInstances. */
export interface ListContainerInstancesFilter {
  readonly compartmentId: string;
  readonly lifecycleState?: ContainerInstanceLifecycleState;
  readonly displayName?: string;
  readonly availabilityDomain?: string;
  readonly sortBy?: "timeCreated" | "displayName";
  readonly sortOrder?: "ASC" | "DESC";
}

/** Filters of ListContainers. */
export interface ListContainersFilter {
  readonly compartmentId: string;
  readonly containerInstanceId?: string;
  readonly lifecycleState?: ContainerInstanceLifecycleState;
  readonly displayName?: string;
  readonly availabilityDomain?: string;
  readonly sortBy?: "timeCreated" | "displayName";
  readonly sortOrder?: "ASC" | "DESC";
}

/** Filters of ListWorkRequests. */
export interface ListContainerWorkRequestsFilter {
  readonly compartmentId: string;
  readonly workRequestId?: string;
  readonly status?: WorkRequestStatus;
  readonly resourceId?: string;
  readonly availabilityDomain?: string;
  readonly sortOrder?: "ASC" | "DESC";
}

const instanceAt = (id: string, suffix?: string) =>
  resourceAt("containerInstances", "container instance", id, suffix);
const containerAt = (id: string, suffix?: string) => resourceAt("containers", "container", id, suffix);

/** Creates a container instance; the answer carries the instance (with its id) and the work request id. */
export function createContainerInstance(
  ctx: ClientContext,
  details: CreateContainerInstanceDetails,
  options: CreateContainerInstanceOptions = {},
): Promise<OciResult<ContainerInstance>> {
  const token = options.retryToken ?? newRetryToken();
  return call<ContainerInstance>(
    ctx,
    {
      operation: "CreateContainerInstance",
      method: "POST",
      path: "/containerInstances",
      headers: { "opc-retry-token": token },
      idempotencyTokenHeader: "opc-retry-token",
      body: details,
      resource: `container instance ${details.displayName ?? "(unnamed)"}`,
    },
    options,
  );
}

/** Reads a container instance. */
export function getContainerInstance(
  ctx: ClientContext,
  id: string,
  options: CallOptions = {},
): Promise<OciResult<ContainerInstance>> {
  return call<ContainerInstance>(
    ctx,
    { operation: "GetContainerInstance", method: "GET", ...instanceAt(id) },
    options,
  );
}

/** Lists container instances of a compartment. */
export function listContainerInstances(
  ctx: ClientContext,
  filter: ListContainerInstancesFilter,
  options: ListOptions = {},
): AsyncGenerator<ContainerInstanceSummary, void, undefined> {
  return paginate<ContainerInstanceSummary>(
    ctx,
    { operation: "ListContainerInstances", method: "GET", path: "/containerInstances", query: { ...filter } },
    options,
    wrappedItems,
  );
}

/** Changes an instance's display name and tags; answers a work request id. */
export function updateContainerInstance(
  ctx: ClientContext,
  id: string,
  details: UpdateDisplayNameAndTags,
  options: IfMatchOptions = {},
): Promise<OciResult<undefined>> {
  return callIfMatch<undefined>(
    ctx,
    { operation: "UpdateContainerInstance", method: "PUT", ...instanceAt(id), body: details },
    options,
  );
}

/** Deletes a container instance; answers a work request id. */
export function deleteContainerInstance(
  ctx: ClientContext,
  id: string,
  options: IfMatchOptions = {},
): Promise<OciResult<undefined>> {
  return callIfMatch<undefined>(
    ctx,
    { operation: "DeleteContainerInstance", method: "DELETE", ...instanceAt(id) },
    options,
  );
}

/** Moves a container instance to another compartment; answers a work request id. */
export function changeContainerInstanceCompartment(
  ctx: ClientContext,
  id: string,
  compartmentId: string,
  options: IfMatchOptions = {},
): Promise<OciResult<undefined>> {
  return callIfMatch<undefined>(
    ctx,
    {
      operation: "ChangeContainerInstanceCompartment",
      method: "POST",
      ...instanceAt(id, "/actions/changeCompartment"),
      body: { compartmentId },
    },
    options,
  );
}

function instanceAction(operation: string, action: string) {
  return (ctx: ClientContext, id: string, options: IfMatchOptions = {}): Promise<OciResult<undefined>> =>
    callIfMatch<undefined>(
      ctx,
      {
        operation,
        method: "POST",
        ...instanceAt(id, `/actions/${action}`),
        // Start/stop/restart take no body: it is signed as an empty POST (content-length 0).
        body: Buffer.alloc(0),
      },
      options,
    );
}

/** Starts an INACTIVE container instance; answers a work request id. */
export const startContainerInstance = instanceAction("StartContainerInstance", "start");
/** Stops an ACTIVE container instance; answers a work request id. */
export const stopContainerInstance = instanceAction("StopContainerInstance", "stop");
/** Restarts a container instance; answers a work request id. */
export const restartContainerInstance = instanceAction("RestartContainerInstance", "restart");

/** Reads a container. */
export function getContainer(
  ctx: ClientContext,
  containerId: string,
  options: CallOptions = {},
): Promise<OciResult<Container>> {
  return call<Container>(
    ctx,
    { operation: "GetContainer", method: "GET", ...containerAt(containerId) },
    options,
  );
}

/** Lists containers of a compartment (optionally of one instance). */
export function listContainers(
  ctx: ClientContext,
  filter: ListContainersFilter,
  options: ListOptions = {},
): AsyncGenerator<ContainerSummary, void, undefined> {
  return paginate<ContainerSummary>(
    ctx,
    { operation: "ListContainers", method: "GET", path: "/containers", query: { ...filter } },
    options,
    wrappedItems,
  );
}

/** Changes a container's display name and tags; answers a work request id. */
export function updateContainer(
  ctx: ClientContext,
  containerId: string,
  details: UpdateDisplayNameAndTags,
  options: IfMatchOptions = {},
): Promise<OciResult<undefined>> {
  return callIfMatch<undefined>(
    ctx,
    { operation: "UpdateContainer", method: "PUT", ...containerAt(containerId), body: details },
    options,
  );
}

/** Fetches a container's logs as text (`isPrevious`: of the previous run). */
export function retrieveContainerLogs(
  ctx: ClientContext,
  containerId: string,
  query: { readonly isPrevious?: boolean } = {},
  options: CallOptions = {},
): Promise<OciResult<string>> {
  return call<string>(
    ctx,
    {
      operation: "RetrieveLogs",
      method: "POST",
      ...containerAt(containerId, "/actions/retrieveLogs"),
      query: { isPrevious: query.isPrevious },
      body: Buffer.alloc(0),
      responseType: "text",
    },
    options,
  );
}

/** Lists the shapes container instances can use. */
export function listContainerInstanceShapes(
  ctx: ClientContext,
  filter: { readonly compartmentId: string; readonly availabilityDomain?: string },
  options: ListOptions = {},
): AsyncGenerator<ContainerInstanceShape, void, undefined> {
  return paginate<ContainerInstanceShape>(
    ctx,
    {
      operation: "ListContainerInstanceShapes",
      method: "GET",
      path: "/containerInstanceShapes",
      query: { ...filter },
    },
    options,
    wrappedItems,
  );
}

/** Reads one of the service's work requests; `retryAfterMs` carries its `retry-after`. */
export const getContainerWorkRequest = getWorkRequest;

/** Lists the service's work requests. */
export function listContainerWorkRequests(
  ctx: ClientContext,
  filter: ListContainerWorkRequestsFilter,
  options: ListOptions = {},
): AsyncGenerator<WorkRequest, void, undefined> {
  return paginate<WorkRequest>(
    ctx,
    { operation: "ListWorkRequests", method: "GET", path: "/workRequests", query: { ...filter } },
    options,
    wrappedItems,
  );
}

// This API sorts its work request entries by `timestamp` and wraps its pages in `{items}`.
const oldestFirst = Object.freeze({ sortBy: "timestamp", sortOrder: "ASC" });

/** Lists a work request's errors, oldest first. */
export const listContainerWorkRequestErrors = workRequestEntries<WorkRequestError>(
  "ListWorkRequestErrors",
  "errors",
  oldestFirst,
  wrappedItems,
);

/** Lists a work request's log lines, oldest first. */
export const listContainerWorkRequestLogs = workRequestEntries<WorkRequestLogEntry>(
  "ListWorkRequestLogs",
  "logs",
  oldestFirst,
  wrappedItems,
);
