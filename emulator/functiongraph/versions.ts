import type { EmulatorResponse } from "../service";
import type { OperationContext } from "./context";
import { badRequest, fssError } from "./errors";
import { findFunction, renderFunction } from "./functions";
import {
  type FunctionState,
  type Json,
  type VersionState,
  clone,
  ok,
  optString,
  page,
  parseJsonObject,
  sha512Hex,
} from "./model";

function fingerprint(fn: FunctionState): string {
  return sha512Hex(JSON.stringify({ code: fn.code, config: fn.config }));
}

const versionNamePattern = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,40}[A-Za-z0-9])?$/;

/**
 * `POST /fgs/functions/{urn}/versions` `{version?, description?, digest?}` → the function object of the new
 * version. `FSS.1016` when neither code nor config changed since the last publish.
 */
export function publishVersion(ctx: OperationContext): EmulatorResponse {
  const { fn } = findFunction(ctx, ctx.params["function_urn"] ?? "");
  const body = parseJsonObject(ctx.request.body, true);
  const description = optString(body, "description", "FSS.1019", 512) ?? "";
  const digest = optString(body, "digest", "FSS.0400");
  let name = optString(body, "version", "FSS.0400");
  if (name === undefined || name === "") {
    // Default name yyyymmdd-HHMMSS (publishing-a-version doc).
    name = new Date(ctx.now).toISOString().slice(0, 19).replace(/-/g, "").replace("T", "-").replace(/:/g, "");
  }
  if (name === "latest" || !versionNamePattern.test(name)) {
    throw badRequest(`Invalid version name: ${name}`);
  }
  if (fn.versions.some((v) => v.version === name)) {
    throw fssError(409, "FSS.1062", `The version already exists: ${name}`);
  }
  if (digest !== undefined && digest !== "" && digest !== fn.code.digest) {
    throw badRequest("digest does not match the code of the latest version");
  }
  const current = fingerprint(fn);
  const last = fn.versions[fn.versions.length - 1];
  if (last !== undefined && last.fingerprint === current) {
    throw badRequest(
      "No change since the last version was published; change the code or config first",
      "FSS.1016",
    );
  }
  const version: VersionState = {
    version: name,
    description,
    last_modified: ctx.now,
    config: clone(fn.config),
    code: clone(fn.code),
    fingerprint: current,
  };
  fn.versions.push(version);
  return ok(renderFunction(ctx, fn, { kind: "version", version }));
}

/** `GET /fgs/functions/{urn}/versions` → `{versions, next_marker, count}` (latest first). */
export function listVersions(ctx: OperationContext): EmulatorResponse {
  const { fn } = findFunction(ctx, ctx.params["function_urn"] ?? "");
  const all: Json[] = [
    renderFunction(ctx, fn, { kind: "latest" }),
    ...fn.versions.map((version) => {
      const rendered = renderFunction(ctx, fn, { kind: "version", version });
      rendered["version_description"] = version.description;
      return rendered;
    }),
  ];
  const { items, next_marker, count } = page(all, ctx.request.query);
  return ok({ versions: items, next_marker, count });
}
