/**
 * OCI Functions management (`/20181201`): applications, functions and pre-built function listings
 * (reference oci-api.md §2.1). Create and update answer the resource synchronously; Functions has no
 * work requests, so callers wait on `lifecycleState` (see `sdk/oci/lifecycle.ts`).
 */
import type {
  Application,
  ApplicationSummary,
  CreateApplicationDetails,
  CreateFunctionDetails,
  FunctionResource,
  FunctionSummary,
  FunctionsLifecycleState,
  PbfListing,
  PbfListingVersion,
  PbfTrigger,
  UpdateApplicationDetails,
  UpdateFunctionDetails,
} from "../types/functions";
import {
  arrayOrWrappedItems,
  call,
  callIfMatch,
  type CallOptions,
  type ClientContext,
  type IfMatchOptions,
  type ListOptions,
  type OciResult,
  paginate,
  pathParam,
  resourceAt,
  wrappedItems,
} from "./common";

export type { IfMatchOptions };

/** Filters of ListApplications. */
export interface ListApplicationsFilter {
  readonly compartmentId: string;
  readonly lifecycleState?: FunctionsLifecycleState;
  /** Exact match. */
  readonly displayName?: string;
  readonly id?: string;
  readonly sortBy?: "timeCreated" | "id" | "displayName";
  readonly sortOrder?: "ASC" | "DESC";
}

/** Filters of ListFunctions. */
export interface ListFunctionsFilter {
  readonly applicationId: string;
  readonly lifecycleState?: FunctionsLifecycleState;
  /** Exact match. */
  readonly displayName?: string;
  readonly id?: string;
  readonly sortBy?: "timeCreated" | "id" | "displayName";
  readonly sortOrder?: "ASC" | "DESC";
}

const application = (id: string) => resourceAt("applications", "application", id);
const fn = (id: string) => resourceAt("functions", "function", id);

/** Creates an application (no retry token exists for this operation). */
export function createApplication(
  ctx: ClientContext,
  details: CreateApplicationDetails,
  options: CallOptions = {},
): Promise<OciResult<Application>> {
  return call<Application>(
    ctx,
    {
      operation: "CreateApplication",
      method: "POST",
      path: "/applications",
      body: details,
      resource: `application ${details.displayName}`,
    },
    options,
  );
}

/** Reads an application. */
export function getApplication(
  ctx: ClientContext,
  applicationId: string,
  options: CallOptions = {},
): Promise<OciResult<Application>> {
  return call<Application>(
    ctx,
    { operation: "GetApplication", method: "GET", ...application(applicationId) },
    options,
  );
}

/** Lists applications of a compartment, page by page. */
export function listApplications(
  ctx: ClientContext,
  filter: ListApplicationsFilter,
  options: ListOptions = {},
): AsyncGenerator<ApplicationSummary, void, undefined> {
  return paginate<ApplicationSummary>(
    ctx,
    { operation: "ListApplications", method: "GET", path: "/applications", query: { ...filter } },
    options,
    arrayOrWrappedItems,
  );
}

/** Updates the mutable fields of an application. */
export function updateApplication(
  ctx: ClientContext,
  applicationId: string,
  details: UpdateApplicationDetails,
  options: IfMatchOptions = {},
): Promise<OciResult<Application>> {
  return callIfMatch<Application>(
    ctx,
    { operation: "UpdateApplication", method: "PUT", ...application(applicationId), body: details },
    options,
  );
}

/** Deletes an application (it must hold no functions). */
export function deleteApplication(
  ctx: ClientContext,
  applicationId: string,
  options: IfMatchOptions = {},
): Promise<OciResult<undefined>> {
  return callIfMatch<undefined>(
    ctx,
    { operation: "DeleteApplication", method: "DELETE", ...application(applicationId) },
    options,
  );
}

/** Moves an application to another compartment. */
export function changeApplicationCompartment(
  ctx: ClientContext,
  applicationId: string,
  compartmentId: string,
  options: IfMatchOptions = {},
): Promise<OciResult<undefined>> {
  return callIfMatch<undefined>(
    ctx,
    {
      operation: "ChangeApplicationCompartment",
      method: "POST",
      ...resourceAt("applications", "application", applicationId, "/actions/changeCompartment"),
      body: { compartmentId },
    },
    options,
  );
}

/** Creates a function (no retry token exists for this operation). */
export function createFunction(
  ctx: ClientContext,
  details: CreateFunctionDetails,
  options: CallOptions = {},
): Promise<OciResult<FunctionResource>> {
  return call<FunctionResource>(
    ctx,
    {
      operation: "CreateFunction",
      method: "POST",
      path: "/functions",
      body: details,
      resource: `function ${details.displayName}`,
    },
    options,
  );
}

/** Reads a function. */
export function getFunction(
  ctx: ClientContext,
  functionId: string,
  options: CallOptions = {},
): Promise<OciResult<FunctionResource>> {
  return call<FunctionResource>(ctx, { operation: "GetFunction", method: "GET", ...fn(functionId) }, options);
}

/** Lists functions of an application, page by page. */
export function listFunctions(
  ctx: ClientContext,
  filter: ListFunctionsFilter,
  options: ListOptions = {},
): AsyncGenerator<FunctionSummary, void, undefined> {
  return paginate<FunctionSummary>(
    ctx,
    { operation: "ListFunctions", method: "GET", path: "/functions", query: { ...filter } },
    options,
    arrayOrWrappedItems,
  );
}

/** Updates the mutable fields of a function; an `image` without `imageDigest` re-resolves the digest. */
export function updateFunction(
  ctx: ClientContext,
  functionId: string,
  details: UpdateFunctionDetails,
  options: IfMatchOptions = {},
): Promise<OciResult<FunctionResource>> {
  return callIfMatch<FunctionResource>(
    ctx,
    { operation: "UpdateFunction", method: "PUT", ...fn(functionId), body: details },
    options,
  );
}

/** Deletes a function. */
export function deleteFunction(
  ctx: ClientContext,
  functionId: string,
  options: IfMatchOptions = {},
): Promise<OciResult<undefined>> {
  return callIfMatch<undefined>(
    ctx,
    { operation: "DeleteFunction", method: "DELETE", ...fn(functionId) },
    options,
  );
}

/** Lists pre-built function listings. */
export function listPbfListings(
  ctx: ClientContext,
  filter: { readonly name?: string; readonly pbfListingId?: string; readonly lifecycleState?: string } = {},
  options: ListOptions = {},
): AsyncGenerator<PbfListing, void, undefined> {
  return paginate<PbfListing>(
    ctx,
    { operation: "ListPbfListings", method: "GET", path: "/pbfListings", query: { ...filter } },
    options,
    wrappedItems,
  );
}

/** Reads a pre-built function listing. */
export function getPbfListing(
  ctx: ClientContext,
  pbfListingId: string,
  options: CallOptions = {},
): Promise<OciResult<PbfListing>> {
  return call<PbfListing>(
    ctx,
    { operation: "GetPbfListing", method: "GET", path: `/pbfListings/${pathParam(pbfListingId)}` },
    options,
  );
}

/** Lists versions of a pre-built function listing. */
export function listPbfListingVersions(
  ctx: ClientContext,
  filter: { readonly pbfListingId: string; readonly name?: string; readonly isCurrentVersion?: boolean },
  options: ListOptions = {},
): AsyncGenerator<PbfListingVersion, void, undefined> {
  return paginate<PbfListingVersion>(
    ctx,
    { operation: "ListPbfListingVersions", method: "GET", path: "/pbfListingVersions", query: { ...filter } },
    options,
    wrappedItems,
  );
}

/** Reads a version of a pre-built function listing. */
export function getPbfListingVersion(
  ctx: ClientContext,
  versionId: string,
  options: CallOptions = {},
): Promise<OciResult<PbfListingVersion>> {
  return call<PbfListingVersion>(
    ctx,
    { operation: "GetPbfListingVersion", method: "GET", path: `/pbfListingVersions/${pathParam(versionId)}` },
    options,
  );
}

/** Lists the triggers pre-built functions can be wired to. */
export function listTriggers(
  ctx: ClientContext,
  filter: { readonly name?: string } = {},
  options: ListOptions = {},
): AsyncGenerator<PbfTrigger, void, undefined> {
  return paginate<PbfTrigger>(
    ctx,
    { operation: "ListTriggers", method: "GET", path: "/pbfListings/triggers", query: { ...filter } },
    options,
    wrappedItems,
  );
}
