import type { RouteMatch } from "../service";
import { RouteTable } from "../route-table";

/** Operation names follow the Huawei Cloud SDK (`FunctionGraphClient`, `IamService`). */
const routes = new RouteTable([
  "POST /v3/auth/tokens KeystoneCreateUserTokenByPassword",
  "GET /v3/projects KeystoneListProjects",
  "POST /v2/{project_id}/fgs/functions CreateFunction",
  "GET /v2/{project_id}/fgs/functions ListFunctions",
  "GET /v2/{project_id}/fgs/functions/reservedinstanceconfigs ListReservedInstanceConfigs",
  "DELETE /v2/{project_id}/fgs/functions/{function_urn} DeleteFunction",
  "GET /v2/{project_id}/fgs/functions/{function_urn}/config ShowFunctionConfig",
  "PUT /v2/{project_id}/fgs/functions/{function_urn}/config UpdateFunctionConfig",
  "GET /v2/{project_id}/fgs/functions/{function_urn}/code ShowFunctionCode",
  "PUT /v2/{project_id}/fgs/functions/{function_urn}/code UpdateFunctionCode",
  "PUT /v2/{project_id}/fgs/functions/{function_urn}/config-max-instance UpdateFunctionMaxInstanceConfig",
  "PUT /v2/{project_id}/fgs/functions/{function_urn}/collect/{state} UpdateFunctionCollectState",
  "PUT /v2/{project_id}/fgs/functions/{function_urn}/reservedinstances UpdateFunctionReservedInstancesCount",
  "POST /v2/{project_id}/fgs/functions/{function_urn}/versions CreateFunctionVersion",
  "GET /v2/{project_id}/fgs/functions/{function_urn}/versions ListFunctionVersions",
  "POST /v2/{project_id}/fgs/functions/{function_urn}/aliases CreateVersionAlias",
  "GET /v2/{project_id}/fgs/functions/{function_urn}/aliases ListVersionAliases",
  "GET /v2/{project_id}/fgs/functions/{function_urn}/aliases/{alias_name} ShowVersionAlias",
  "PUT /v2/{project_id}/fgs/functions/{function_urn}/aliases/{alias_name} UpdateVersionAlias",
  "DELETE /v2/{project_id}/fgs/functions/{function_urn}/aliases/{alias_name} DeleteVersionAlias",
  "POST /v2/{project_id}/fgs/functions/{function_urn}/invocations InvokeFunction",
  "POST /v2/{project_id}/fgs/functions/{function_urn}/invocations-async AsyncInvokeFunction",
  "POST /v2/{project_id}/fgs/triggers/{function_urn} CreateFunctionTrigger",
  "GET /v2/{project_id}/fgs/triggers/{function_urn} ListFunctionTriggers",
  "DELETE /v2/{project_id}/fgs/triggers/{function_urn} BatchDeleteFunctionTriggers",
  "GET /v2/{project_id}/fgs/triggers/{function_urn}/{trigger_type_code}/{trigger_id} ShowFunctionTrigger",
  "PUT /v2/{project_id}/fgs/triggers/{function_urn}/{trigger_type_code}/{trigger_id} UpdateTrigger",
  "DELETE /v2/{project_id}/fgs/triggers/{function_urn}/{trigger_type_code}/{trigger_id} DeleteFunctionTrigger",
  "POST /v2/{project_id}/fgs/dependencies/version CreateDependencyVersion",
  "GET /v2/{project_id}/fgs/dependencies ListDependencies",
  "GET /v2/{project_id}/fgs/dependencies/{depend_id}/version ListDependencyVersion",
  "GET /v2/{project_id}/fgs/dependencies/{depend_id}/version/{version} ShowDependencyVersion",
  "DELETE /v2/{project_id}/fgs/dependencies/{depend_id}/version/{version} DeleteDependencyVersion",
  "GET /v2/{project_id}/functions/{function_urn}/tags ShowFunctionTags",
  "POST /v2/{project_id}/functions/{function_urn}/tags/create CreateTags",
  "DELETE /v2/{project_id}/functions/{function_urn}/tags/delete DeleteTags",
]);

/** The operation answering paths this service owns but no API is published at (gateway 404). */
export const unknownApiOperation = "UnknownApi";

/**
 * Matches a decoded path against the FunctionGraph v2 and IAM v3 routes. Paths under `/v3/`,
 * `/v2/{project}/fgs/` and `/v2/{project}/functions/` that match nothing still belong to this service and
 * get {@link unknownApiOperation}, so they answer with the gateway's 404 rather than another cloud's.
 */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  const segments = trimmed.split("/").slice(1);
  const match = routes.match(method, segments);
  if (match !== undefined) return match;
  if (
    segments[0] === "v3" ||
    (segments[0] === "v2" && (segments[2] === "fgs" || segments[2] === "functions"))
  ) {
    return {
      operation: unknownApiOperation,
      params: segments[0] === "v2" ? { project_id: segments[1] ?? "" } : {},
    };
  }
  return undefined;
}
