import { createHash } from "node:crypto";
import type { EmulatorResponse } from "../service";
import { type OperationContext, uuidFrom } from "./context";
import { badRequest, dependencyNotFound, fssError } from "./errors";
import {
  type DependencyVersionState,
  type Json,
  isPlausibleRuntime,
  optString,
  page,
  parseJsonObject,
} from "./model";

const dependencyNamePattern = /^[A-Za-z]([A-Za-z0-9_.-]{0,94}[A-Za-z0-9])?$/;
const maxDependencyBytes = 40 * 1024 * 1024;

/** The dependency version as create/list/get return it (`detail` adds `download_link`, `is_shared`). */
export function renderDependencyVersion(
  ctx: OperationContext,
  dep: DependencyVersionState,
  detail = false,
): Json {
  const rendered: Json = {
    id: dep.id,
    dep_id: dep.dep_id,
    owner: ctx.domain.name,
    link: dep.link,
    runtime: dep.runtime,
    etag: dep.etag,
    size: dep.size,
    name: dep.name,
    description: dep.description,
    file_name: dep.file_name,
    version: dep.version,
    last_modified: Math.floor(dep.last_modified / 1000),
  };
  if (detail) {
    rendered["download_link"] = `${dep.link}?download=true`;
    rendered["is_shared"] = false;
  }
  return rendered;
}

/**
 * `POST /fgs/dependencies/version` `{depend_type obs|zip, depend_link | depend_file, runtime, name,
 * description}`. Versions start at 1; a second POST with the same name appends a version under the same
 * `dep_id`. The link is rewritten to FunctionGraph's own bucket.
 */
export function createDependencyVersion(ctx: OperationContext): EmulatorResponse {
  const body = parseJsonObject(ctx.request.body);
  const name = body["name"];
  if (typeof name !== "string" || !dependencyNamePattern.test(name)) {
    throw badRequest(
      "name must be 1-96 letters, digits, '_', '.' or '-', start with a letter and end with a letter or digit",
    );
  }
  const runtime = body["runtime"];
  if (typeof runtime !== "string" || !isPlausibleRuntime(runtime))
    throw badRequest(`Invalid runtime: ${String(runtime)}`, "FSS.1005");
  const description = optString(body, "description", "FSS.1019", 512) ?? "";
  const type = body["depend_type"];
  let bytes: Buffer;
  let fileName: string;
  if (type === "zip") {
    const file = body["depend_file"];
    const decoded =
      typeof file === "string" && /^[A-Za-z0-9+/\s_-]*={0,2}\s*$/.test(file)
        ? Buffer.from(file, "base64")
        : undefined;
    if (decoded === undefined || decoded.length < 4 || decoded[0] !== 0x50 || decoded[1] !== 0x4b) {
      throw badRequest("zip: not a valid zip file", "FSS.1011");
    }
    if (decoded.length > maxDependencyBytes)
      throw fssError(413, "FSS.1071", "The dependency package exceeds 40 MB");
    bytes = decoded;
    fileName = `${name}.zip`;
  } else if (type === "obs") {
    const link = body["depend_link"];
    if (typeof link !== "string" || link === "")
      throw badRequest("depend_link is required for obs dependencies");
    bytes = Buffer.from(link);
    fileName = link.slice(link.lastIndexOf("/") + 1) || `${name}.zip`;
  } else {
    throw badRequest("depend_type must be obs or zip");
  }
  const existing = ctx.project.dependencyVersions.filter((d) => d.name === name);
  const depId = existing[0]?.dep_id ?? uuidFrom(ctx.newId);
  const version = existing.reduce((max, d) => Math.max(max, d.version), 0) + 1;
  const id = uuidFrom(ctx.newId);
  const dep: DependencyVersionState = {
    id,
    dep_id: depId,
    name,
    version,
    runtime,
    description,
    depend_type: type,
    link: `https://functionstorage-${ctx.region}.obs.${ctx.region}.otc.t-systems.com/depend/${ctx.domain.id}/${id}/${fileName}`,
    etag: createHash("md5").update(bytes).digest("hex"),
    size: bytes.length,
    file_name: fileName,
    last_modified: ctx.now,
  };
  ctx.project.dependencyVersions.push(dep);
  return { status: 200, body: renderDependencyVersion(ctx, dep) };
}

/**
 * `GET /fgs/dependencies?marker&maxitems&dependency_type&runtime&name&ispublic` → `{dependencies, next_marker,
 * count}`: one item per private dependency, describing its newest version. There are no public dependencies.
 */
export function listDependencies(ctx: OperationContext): EmulatorResponse {
  const q = ctx.request.query;
  const type = q.get("dependency_type");
  const publicOnly = type === "public" || q.get("ispublic") === "true";
  const newest = new Map<string, DependencyVersionState>();
  for (const dep of ctx.project.dependencyVersions) {
    const seen = newest.get(dep.dep_id);
    if (seen === undefined || dep.version > seen.version) newest.set(dep.dep_id, dep);
  }
  const runtime = q.get("runtime");
  const name = q.get("name");
  const items = publicOnly
    ? []
    : [...newest.values()].filter(
        (d) => (runtime === null || d.runtime === runtime) && (name === null || d.name.includes(name)),
      );
  const query = new URLSearchParams(q);
  if (query.has("limit") && !query.has("maxitems")) query.set("maxitems", query.get("limit") ?? "");
  return dependencyPage(ctx, items, query);
}

// Both dependency lists answer with the same envelope: `{dependencies, next_marker, count}`.
function dependencyPage(
  ctx: OperationContext,
  items: readonly DependencyVersionState[],
  query: URLSearchParams,
): EmulatorResponse {
  const paged = page(items, query);
  return {
    status: 200,
    body: {
      dependencies: paged.items.map((d) => renderDependencyVersion(ctx, d)),
      next_marker: paged.next_marker,
      count: paged.count,
    },
  };
}

function versionsOf(ctx: OperationContext): DependencyVersionState[] {
  const depId = ctx.params["depend_id"] ?? "";
  const versions = ctx.project.dependencyVersions.filter((d) => d.dep_id === depId);
  if (versions.length === 0) throw dependencyNotFound(depId);
  return versions;
}

/** `GET /fgs/dependencies/{dep_id}/version` → `{dependencies, next_marker, count}`. */
export function listDependencyVersions(ctx: OperationContext): EmulatorResponse {
  return dependencyPage(ctx, versionsOf(ctx), ctx.request.query);
}

function findVersion(ctx: OperationContext): DependencyVersionState {
  const wanted = ctx.params["version"] ?? "";
  const dep = versionsOf(ctx).find((d) => String(d.version) === wanted);
  if (dep === undefined) throw dependencyNotFound(`${ctx.params["depend_id"] ?? ""}/${wanted}`);
  return dep;
}

/** `GET /fgs/dependencies/{dep_id}/version/{version}`. */
export function showDependencyVersion(ctx: OperationContext): EmulatorResponse {
  return { status: 200, body: renderDependencyVersion(ctx, findVersion(ctx), true) };
}

/** `DELETE /fgs/dependencies/{dep_id}/version/{version}` → 204; 412 `FSS.1033` while any function version uses it. */
export function deleteDependencyVersion(ctx: OperationContext): EmulatorResponse {
  const dep = findVersion(ctx);
  const user = ctx.project.functions.find(
    (f) =>
      f.code.depend_version_list.includes(dep.id) ||
      f.versions.some((v) => v.code.depend_version_list.includes(dep.id)),
  );
  if (user !== undefined) {
    throw fssError(
      412,
      "FSS.1033",
      `The dependency version is used by function ${user.package}:${user.func_name} and cannot be deleted`,
    );
  }
  ctx.project.dependencyVersions = ctx.project.dependencyVersions.filter((d) => d !== dep);
  return { status: 204 };
}
