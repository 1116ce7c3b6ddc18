import type { RouteMatch } from "../service";

/** One OCI route: method, a path template with `{param}` segments, and the SDK operation name. */
interface Route {
  readonly method: string;
  readonly template: string;
  readonly operation: string;
}

const routes: readonly Route[] = [
  // Functions management + invoke (oci-api.md §2.1, §2.2)
  { method: "POST", template: "/20181201/applications", operation: "CreateApplication" },
  { method: "GET", template: "/20181201/applications", operation: "ListApplications" },
  { method: "GET", template: "/20181201/applications/{applicationId}", operation: "GetApplication" },
  { method: "PUT", template: "/20181201/applications/{applicationId}", operation: "UpdateApplication" },
  { method: "DELETE", template: "/20181201/applications/{applicationId}", operation: "DeleteApplication" },
  {
    method: "POST",
    template: "/20181201/applications/{applicationId}/actions/changeCompartment",
    operation: "ChangeApplicationCompartment",
  },
  { method: "POST", template: "/20181201/functions", operation: "CreateFunction" },
  { method: "GET", template: "/20181201/functions", operation: "ListFunctions" },
  { method: "GET", template: "/20181201/functions/{functionId}", operation: "GetFunction" },
  { method: "PUT", template: "/20181201/functions/{functionId}", operation: "UpdateFunction" },
  { method: "DELETE", template: "/20181201/functions/{functionId}", operation: "DeleteFunction" },
  {
    method: "POST",
    template: "/20181201/functions/{functionId}/actions/invoke",
    operation: "InvokeFunction",
  },
  { method: "GET", template: "/20181201/pbfListings/triggers", operation: "ListTriggers" },
  { method: "GET", template: "/20181201/pbfListings", operation: "ListPbfListings" },
  { method: "GET", template: "/20181201/pbfListings/{pbfListingId}", operation: "GetPbfListing" },
  { method: "GET", template: "/20181201/pbfListingVersions", operation: "ListPbfListingVersions" },
  {
    method: "GET",
    template: "/20181201/pbfListingVersions/{pbfListingVersionId}",
    operation: "GetPbfListingVersion",
  },
  // Container Instances (§2.3)
  { method: "POST", template: "/20210415/containerInstances", operation: "CreateContainerInstance" },
  { method: "GET", template: "/20210415/containerInstances", operation: "ListContainerInstances" },
  {
    method: "GET",
    template: "/20210415/containerInstances/{containerInstanceId}",
    operation: "GetContainerInstance",
  },
  {
    method: "PUT",
    template: "/20210415/containerInstances/{containerInstanceId}",
    operation: "UpdateContainerInstance",
  },
  {
    method: "DELETE",
    template: "/20210415/containerInstances/{containerInstanceId}",
    operation: "DeleteContainerInstance",
  },
  {
    method: "POST",
    template: "/20210415/containerInstances/{containerInstanceId}/actions/changeCompartment",
    operation: "ChangeContainerInstanceCompartment",
  },
  {
    method: "POST",
    template: "/20210415/containerInstances/{containerInstanceId}/actions/start",
    operation: "StartContainerInstance",
  },
  {
    method: "POST",
    template: "/20210415/containerInstances/{containerInstanceId}/actions/stop",
    operation: "StopContainerInstance",
  },
  {
    method: "POST",
    template: "/20210415/containerInstances/{containerInstanceId}/actions/restart",
    operation: "RestartContainerInstance",
  },
  { method: "GET", template: "/20210415/containers", operation: "ListContainers" },
  { method: "GET", template: "/20210415/containers/{containerId}", operation: "GetContainer" },
  { method: "PUT", template: "/20210415/containers/{containerId}", operation: "UpdateContainer" },
  {
    method: "POST",
    template: "/20210415/containers/{containerId}/actions/retrieveLogs",
    operation: "RetrieveLogs",
  },
  { method: "GET", template: "/20210415/containerInstanceShapes", operation: "ListContainerInstanceShapes" },
  { method: "GET", template: "/20210415/workRequests", operation: "ListWorkRequests" },
  { method: "GET", template: "/20210415/workRequests/{workRequestId}", operation: "GetWorkRequest" },
  {
    method: "GET",
    template: "/20210415/workRequests/{workRequestId}/errors",
    operation: "ListWorkRequestErrors",
  },
  {
    method: "GET",
    template: "/20210415/workRequests/{workRequestId}/logs",
    operation: "ListWorkRequestLogs",
  },
  // Work Requests, compute flavour (§2.4): same store, `Iaas` prefix keeps the names apart in stats and faults.
  { method: "GET", template: "/20160918/workRequests", operation: "IaasListWorkRequests" },
  { method: "GET", template: "/20160918/workRequests/{workRequestId}", operation: "IaasGetWorkRequest" },
  {
    method: "GET",
    template: "/20160918/workRequests/{workRequestId}/errors",
    operation: "IaasListWorkRequestErrors",
  },
  {
    method: "GET",
    template: "/20160918/workRequests/{workRequestId}/logs",
    operation: "IaasListWorkRequestLogs",
  },
];

const compiled = routes.map((r) => ({
  ...r,
  segments: r.template.split("/").slice(1),
}));

/** Matches `(method, path)` against the OCI routes; undefined when no route owns it. */
export function matchOciRoute(method: string, path: string): RouteMatch | undefined {
  const parts = path.replace(/\/+$/, "").split("/").slice(1);
  for (const route of compiled) {
    if (route.method !== method || route.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length; i++) {
      const seg = route.segments[i] as string;
      const part = parts[i] as string;
      if (seg.startsWith("{")) {
        if (part === "") {
          ok = false;
          break;
        }
        params[seg.slice(1, -1)] = part;
      } else if (seg !== part) {
        ok = false;
        break;
      }
    }
    if (ok) return { operation: route.operation, params };
  }
  return undefined;
}
