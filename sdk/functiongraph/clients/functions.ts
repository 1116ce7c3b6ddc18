import type { HttpMethod } from "../../core/request";
import { send, type SendRequest } from "../../core/send";
import type {
  CreateFunctionRequest,
  FunctionCode,
  FunctionConfig,
  ListFunctionsPage,
  ListReservedInstanceConfigsPage,
  ReservedInstanceConfig,
  ReservedInstancesRequest,
  Tag,
  UpdateFunctionCodeRequest,
  UpdateFunctionConfigRequest,
} from "../types/function";
import { call, type CallOptions, type ClientContext, paginate, pageSize, pathParam } from "./common";

/**
 * A request about one function: `<method> <base>/{urn}<suffix>`. `base` is `/fgs/functions`, except
 * for the tag API, which lives under `/functions` (no `/fgs`).
 */
function onFunction(
  operation: string,
  method: HttpMethod,
  funcUrn: string,
  suffix: string,
  extra: { readonly body?: unknown; readonly base?: string } = {},
): SendRequest {
  return {
    operation,
    method,
    path: `${extra.base ?? "/fgs/functions"}/${pathParam(funcUrn)}${suffix}`,
    ...(extra.body === undefined ? {} : { body: extra.body }),
    resource: `function ${funcUrn}`,
  };
}

/** Creates a function (`POST /fgs/functions`, 200). The answer's `func_urn` ends in `:latest`. */
export async function createFunction(
  ctx: ClientContext,
  input: CreateFunctionRequest,
  options: CallOptions = {},
): Promise<FunctionConfig> {
  const res = await send<FunctionConfig>(
    ctx,
    {
      operation: "CreateFunction",
      method: "POST",
      path: "/fgs/functions",
      body: input,
      resource: `function ${input.func_name}`,
    },
    options,
  );
  return res.body;
}

/** Filters of {@link listFunctions}. */
export interface ListFunctionsInput {
  /** Only functions of this package (application). */
  readonly packageName?: string;
  /** Only functions with this name (Huawei Cloud). */
  readonly funcName?: string;
  /** Items per page (`maxitems`), 1..400; default 400. */
  readonly pageSize?: number;
}

/** Lists functions across pages (`GET /fgs/functions?marker=&maxitems=`). URNs come without a version. */
export function listFunctions(
  ctx: ClientContext,
  input: ListFunctionsInput = {},
  options: CallOptions = {},
): AsyncGenerator<FunctionConfig, void, undefined> {
  const maxitems = pageSize(input.pageSize);
  return paginate(
    async (marker) =>
      (
        await send<ListFunctionsPage>(
          ctx,
          {
            operation: "ListFunctions",
            method: "GET",
            path: "/fgs/functions",
            query: { marker, maxitems, package_name: input.packageName, func_name: input.funcName },
          },
          options,
        )
      ).body,
    (page) => page?.functions,
    (page) => ({ next: page?.next_marker, count: page?.count }),
  );
}

/** Reads a function's metadata (`GET .../config`). Accepts any URN form the API does. */
export async function getFunctionConfig(
  ctx: ClientContext,
  input: { readonly funcUrn: string },
  options: CallOptions = {},
): Promise<FunctionConfig> {
  return call<FunctionConfig>(
    ctx,
    onFunction("ShowFunctionConfig", "GET", input.funcUrn, "/config"),
    options,
  );
}

/** Reads a function's code metadata (`GET .../code`); the code itself is never returned. */
export async function getFunctionCode(
  ctx: ClientContext,
  input: { readonly funcUrn: string },
  options: CallOptions = {},
): Promise<FunctionCode> {
  return call<FunctionCode>(ctx, onFunction("ShowFunctionCode", "GET", input.funcUrn, "/code"), options);
}

/**
 * Replaces a function's code and dependency list (`PUT .../code`). Send the code with every call (a
 * dependency-only change too) and `depend_version_list: []` to clear dependencies.
 */
export async function updateFunctionCode(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly body: UpdateFunctionCodeRequest },
  options: CallOptions = {},
): Promise<FunctionCode> {
  return call<FunctionCode>(
    ctx,
    onFunction("UpdateFunctionCode", "PUT", input.funcUrn, "/code", { body: input.body }),
    options,
  );
}

/**
 * Replaces a function's configuration (`PUT .../config`). The API treats this as a full replacement:
 * read, merge, then send the complete configuration.
 */
export async function updateFunctionConfig(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly body: UpdateFunctionConfigRequest },
  options: CallOptions = {},
): Promise<FunctionConfig> {
  return call<FunctionConfig>(
    ctx,
    onFunction("UpdateFunctionConfig", "PUT", input.funcUrn, "/config", { body: input.body }),
    options,
  );
}

/** Sets the maximum number of instances (`PUT .../config-max-instance`); -1 unlimited, 0 disables. */
export async function updateMaxInstances(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly maxInstanceNum: number },
  options: CallOptions = {},
): Promise<FunctionConfig | undefined> {
  return call<FunctionConfig | undefined>(
    ctx,
    onFunction("UpdateFunctionMaxInstanceConfig", "PUT", input.funcUrn, "/config-max-instance", {
      body: { max_instance_num: input.maxInstanceNum },
    }),
    options,
  );
}

/** Sets the number of reserved instances of a function, version or alias (`PUT .../reservedinstances`). */
export async function updateReservedInstances(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly body: ReservedInstancesRequest },
  options: CallOptions = {},
): Promise<ReservedInstancesRequest | undefined> {
  return call<ReservedInstancesRequest | undefined>(
    ctx,
    onFunction("UpdateFunctionReservedInstancesCount", "PUT", input.funcUrn, "/reservedinstances", {
      body: input.body,
    }),
    options,
  );
}

/**
 * Lists reserved-instance settings (`GET /fgs/functions/reservedinstanceconfigs`), of one function when
 * `funcUrn` is given, across pages (`marker`/`limit`, `page_info.next_marker`).
 */
export function listReservedInstanceConfigs(
  ctx: ClientContext,
  input: { readonly funcUrn?: string; readonly pageSize?: number } = {},
  options: CallOptions = {},
): AsyncGenerator<ReservedInstanceConfig, void, undefined> {
  const limit = pageSize(input.pageSize);
  return paginate(
    async (marker) =>
      (
        await send<ListReservedInstanceConfigsPage>(
          ctx,
          {
            operation: "ListReservedInstanceConfigs",
            method: "GET",
            path: "/fgs/functions/reservedinstanceconfigs",
            query: { function_urn: input.funcUrn, marker, limit },
          },
          options,
        )
      ).body,
    (page) => page?.reserved_instances,
    (page) => ({ next: page?.page_info?.next_marker, count: page?.count }),
  );
}

/**
 * Adds or overwrites tags (`POST /v2/{pid}/functions/{urn}/tags/create`, no `/fgs`). The context's
 * endpoint already ends in `/v2/{project_id}`.
 */
export async function createTags(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly tags: readonly Tag[] },
  options: CallOptions = {},
): Promise<void> {
  await call(
    ctx,
    onFunction("CreateTags", "POST", input.funcUrn, "/tags/create", {
      body: { tags: input.tags },
      base: "/functions",
    }),
    options,
  );
}

/** Reads a function's tags (`GET /v2/{pid}/functions/{urn}/tags` → `{tags, sys_tags}`). */
export async function listTags(
  ctx: ClientContext,
  input: { readonly funcUrn: string },
  options: CallOptions = {},
): Promise<Tag[]> {
  const body = await call<{ tags?: Tag[] } | undefined>(
    ctx,
    onFunction("ShowFunctionTags", "GET", input.funcUrn, "/tags", { base: "/functions" }),
    options,
  );
  return body?.tags ?? [];
}

/** Removes tags (`DELETE /v2/{pid}/functions/{urn}/tags/delete` with a body). */
export async function deleteTags(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly tags: readonly Tag[] },
  options: CallOptions = {},
): Promise<void> {
  await call(
    ctx,
    onFunction("DeleteTags", "DELETE", input.funcUrn, "/tags/delete", {
      body: { tags: input.tags },
      base: "/functions",
    }),
    options,
  );
}

/**
 * Deletes a function (`DELETE /fgs/functions/{urn}`, 204). A URN **without** a qualifier deletes the
 * function with all its versions, aliases and triggers; with a version it deletes only that version.
 * Callers that mean one version must pass the qualified URN (see `versions.deleteVersion`).
 */
export async function deleteFunction(
  ctx: ClientContext,
  input: { readonly funcUrn: string },
  options: CallOptions = {},
): Promise<void> {
  await call(ctx, onFunction("DeleteFunction", "DELETE", input.funcUrn, ""), options);
}
