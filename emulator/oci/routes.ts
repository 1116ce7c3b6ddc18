import type { RouteMatch } from "../service";
import { RouteTable } from "../route-table";

const routes = new RouteTable([
  // Functions management + invoke (oci-api.md §2.1, §2.2)
  "POST /20181201/applications CreateApplication",
  "GET /20181201/applications ListApplications",
  "GET /20181201/applications/{applicationId} GetApplication",
  "PUT /20181201/applications/{applicationId} UpdateApplication",
  "DELETE /20181201/applications/{applicationId} DeleteApplication",
  "POST /20181201/applications/{applicationId}/actions/changeCompartment ChangeApplicationCompartment",
  "POST /20181201/functions CreateFunction",
  "GET /20181201/functions ListFunctions",
  "GET /20181201/functions/{functionId} GetFunction",
  "PUT /20181201/functions/{functionId} UpdateFunction",
  "DELETE /20181201/functions/{functionId} DeleteFunction",
  "POST /20181201/functions/{functionId}/actions/invoke InvokeFunction",
  "GET /20181201/pbfListings/triggers ListTriggers",
  "GET /20181201/pbfListings ListPbfListings",
  "GET /20181201/pbfListings/{pbfListingId} GetPbfListing",
  "GET /20181201/pbfListingVersions ListPbfListingVersions",
  "GET /20181201/pbfListingVersions/{pbfListingVersionId} GetPbfListingVersion",
  // Container Instances (§2.3)
  "POST /20210415/containerInstances CreateContainerInstance",
  "GET /20210415/containerInstances ListContainerInstances",
  "GET /20210415/containerInstances/{containerInstanceId} GetContainerInstance",
  "PUT /20210415/containerInstances/{containerInstanceId} UpdateContainerInstance",
  "DELETE /20210415/containerInstances/{containerInstanceId} DeleteContainerInstance",
  "POST /20210415/containerInstances/{containerInstanceId}/actions/changeCompartment ChangeContainerInstanceCompartment",
  "POST /20210415/containerInstances/{containerInstanceId}/actions/start StartContainerInstance",
  "POST /20210415/containerInstances/{containerInstanceId}/actions/stop StopContainerInstance",
  "POST /20210415/containerInstances/{containerInstanceId}/actions/restart RestartContainerInstance",
  "GET /20210415/containers ListContainers",
  "GET /20210415/containers/{containerId} GetContainer",
  "PUT /20210415/containers/{containerId} UpdateContainer",
  "POST /20210415/containers/{containerId}/actions/retrieveLogs RetrieveLogs",
  "GET /20210415/containerInstanceShapes ListContainerInstanceShapes",
  "GET /20210415/workRequests ListWorkRequests",
  "GET /20210415/workRequests/{workRequestId} GetWorkRequest",
  "GET /20210415/workRequests/{workRequestId}/errors ListWorkRequestErrors",
  "GET /20210415/workRequests/{workRequestId}/logs ListWorkRequestLogs",
  // Work Requests, compute flavour (§2.4): same store, `Iaas` prefix keeps the names apart in stats and faults.
  "GET /20160918/workRequests IaasListWorkRequests",
  "GET /20160918/workRequests/{workRequestId} IaasGetWorkRequest",
  "GET /20160918/workRequests/{workRequestId}/errors IaasListWorkRequestErrors",
  "GET /20160918/workRequests/{workRequestId}/logs IaasListWorkRequestLogs",
  // Core Networking VNICs (oci-core VirtualNetworkClient getVnic/updateVnic), same host and version path.
  "GET /20160918/vnics/{vnicId} GetVnic",
  "PUT /20160918/vnics/{vnicId} UpdateVnic",
]);

/** Matches `(method, path)` against the OCI routes; undefined when no route owns it. */
export function matchOciRoute(method: string, path: string): RouteMatch | undefined {
  return routes.match(method, path.replace(/\/+$/, "").split("/").slice(1));
}
