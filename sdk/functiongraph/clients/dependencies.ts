import { send } from "../../core/send";
import type {
  CreateDependencyVersionRequest,
  Dependency,
  DependencyVersion,
  ListDependenciesPage,
  ListDependencyVersionsPage,
} from "../types/dependency";
import { type CallOptions, type ClientContext, paginate, pageSize, pathParam } from "./common";

/** Creates a dependency version (`POST /fgs/dependencies/version`, 200); a new name starts at version 1. */
export async function createDependencyVersion(
  ctx: ClientContext,
  input: CreateDependencyVersionRequest,
  options: CallOptions = {},
): Promise<DependencyVersion> {
  const res = await send<DependencyVersion>(
    ctx,
    {
      operation: "CreateDependencyVersion",
      method: "POST",
      path: "/fgs/dependencies/version",
      body: input,
      resource: `dependency ${input.name}`,
    },
    options,
  );
  return res.body;
}

/** Filters of {@link listDependencies}. */
export interface ListDependenciesInput {
  /** `public`, `private` or `all`. */
  readonly dependencyType?: "public" | "private" | "all";
  readonly runtime?: string;
  readonly name?: string;
  /** Items per page, 1..400; default 400. */
  readonly pageSize?: number;
}

/** Lists dependencies across pages (`GET /fgs/dependencies`). */
export function listDependencies(
  ctx: ClientContext,
  input: ListDependenciesInput = {},
  options: CallOptions = {},
): AsyncGenerator<Dependency, void, undefined> {
  const maxitems = pageSize(input.pageSize);
  return paginate(
    async (marker) =>
      (
        await send<ListDependenciesPage>(
          ctx,
          {
            operation: "ListDependencies",
            method: "GET",
            path: "/fgs/dependencies",
            query: {
              marker,
              maxitems,
              dependency_type: input.dependencyType,
              runtime: input.runtime,
              name: input.name,
            },
          },
          options,
        )
      ).body,
    (page) => page?.dependencies,
    (page) => ({ next: page?.next_marker, count: page?.count }),
  );
}

/** Lists the versions of one dependency across pages (`GET /fgs/dependencies/{depend_id}/version`). */
export function listDependencyVersions(
  ctx: ClientContext,
  input: { readonly dependId: string; readonly pageSize?: number },
  options: CallOptions = {},
): AsyncGenerator<DependencyVersion, void, undefined> {
  const maxitems = pageSize(input.pageSize);
  return paginate(
    async (marker) =>
      (
        await send<ListDependencyVersionsPage>(
          ctx,
          {
            operation: "ListDependencyVersion",
            method: "GET",
            path: `/fgs/dependencies/${pathParam(input.dependId)}/version`,
            query: { marker, maxitems },
            resource: `dependency ${input.dependId}`,
          },
          options,
        )
      ).body,
    (page) => page?.dependencies,
    (page) => ({ next: page?.next_marker, count: page?.count }),
  );
}

/** Reads one dependency version (`GET /fgs/dependencies/{depend_id}/version/{version}`). */
export async function getDependencyVersion(
  ctx: ClientContext,
  input: { readonly dependId: string; readonly version: number },
  options: CallOptions = {},
): Promise<DependencyVersion> {
  const res = await send<DependencyVersion>(
    ctx,
    {
      operation: "ShowDependencyVersion",
      method: "GET",
      path: `/fgs/dependencies/${pathParam(input.dependId)}/version/${input.version}`,
      resource: `dependency ${input.dependId} version ${input.version}`,
    },
    options,
  );
  return res.body;
}

/** Deletes one dependency version (204); 412 `FSS.1033` while a function uses it. */
export async function deleteDependencyVersion(
  ctx: ClientContext,
  input: { readonly dependId: string; readonly version: number },
  options: CallOptions = {},
): Promise<void> {
  await send(
    ctx,
    {
      operation: "DeleteDependencyVersion",
      method: "DELETE",
      path: `/fgs/dependencies/${pathParam(input.dependId)}/version/${input.version}`,
      resource: `dependency ${input.dependId} version ${input.version}`,
    },
    options,
  );
}
