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
  type CallOptions,
  type ClientContext,
  ifMatch,
  type ListOptions,
  type OciResult,
  paginate,
  pathParam,
  wrappedItems,
} from "./common";
import type { IfMatchOptions } from "./functions-management";

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
    {
      operation: "GetContainerInstance",
      method: "GET",
      path: `/containerInstances/${pathParam(id)}`,
      resource: `container instance ${id}`,
    },
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
  return call<undefined>(
    ctx,
    {
      operation: "UpdateContainerInstance",
      method: "PUT",
      path: `/containerInstances/${pathParam(id)}`,
      headers: ifMatch(options.ifMatch),
      body: details,
      resource: `container instance ${id}`,
    },
    options,
  );
}

/** Deletes a container instance; answers a work request id. */
export function deleteContainerInstance(
  ctx: ClientContext,
  id: string,
  options: IfMatchOptions = {},
): Promise<OciResult<undefined>> {
  return call<undefined>(
    ctx,
    {
      operation: "DeleteContainerInstance",
      method: "DELETE",
      path: `/containerInstances/${pathParam(id)}`,
      headers: ifMatch(options.ifMatch),
      resource: `container instance ${id}`,
    },
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
  return call<undefined>(
    ctx,
    {
      operation: "ChangeContainerInstanceCompartment",
      method: "POST",
      path: `/containerInstances/${pathParam(id)}/actions/changeCompartment`,
      headers: ifMatch(options.ifMatch),
      body: { compartmentId },
      resource: `container instance ${id}`,
    },
    options,
  );
}

function instanceAction(operation: string, action: string) {
  return (ctx: ClientContext, id: string, options: IfMatchOptions = {}): Promise<OciResult<undefined>> =>
    call<undefined>(
      ctx,
      {
        operation,
        method: "POST",
        path: `/containerInstances/${pathParam(id)}/actions/${action}`,
        headers: ifMatch(options.ifMatch),
        // Start/stop/restart take no body: it is signed as an empty POST (content-length 0).
        body: Buffer.alloc(0),
        resource: `container instance ${id}`,
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
    {
      operation: "GetContainer",
      method: "GET",
      path: `/containers/${pathParam(containerId)}`,
      resource: `container ${containerId}`,
    },
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
  return call<undefined>(
    ctx,
    {
      operation: "UpdateContainer",
      method: "PUT",
      path: `/containers/${pathParam(containerId)}`,
      headers: ifMatch(options.ifMatch),
      body: details,
      resource: `container ${containerId}`,
    },
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
      path: `/containers/${pathParam(containerId)}/actions/retrieveLogs`,
      query: { isPrevious: query.isPrevious },
      body: Buffer.alloc(0),
      responseType: "text",
      resource: `container ${containerId}`,
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
export function getContainerWorkRequest(
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

/** Lists a work request's errors, oldest first. */
export function listContainerWorkRequestErrors(
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
      query: { sortBy: "timestamp", sortOrder: "ASC" },
    },
    options,
    wrappedItems,
  );
}

/** Lists a work request's log lines, oldest first. */
export function listContainerWorkRequestLogs(
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
      query: { sortBy: "timestamp", sortOrder: "ASC" },
    },
    options,
    wrappedItems,
  );
}
