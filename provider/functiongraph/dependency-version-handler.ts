/**
 * `functiongraph:DependencyVersion`: one immutable version of a dependency package, from an OBS link or
 * an inline zip (base64 or a local file). The id is `<dependencyId>/<version>`; `versionId` is what a
 * Function lists in `dependVersionList`.
 */
import { readFile } from "node:fs/promises";
import type * as pulumi from "@pulumi/pulumi";
import { ServiceError, ValidationError } from "../../sdk/core/errors";
import type { ClientContext } from "../../sdk/core/client";
import { listFunctions } from "../../sdk/functiongraph/clients/functions";
import { warn } from "../framework/warn";
import * as deps from "../../sdk/functiongraph/clients/dependencies";
import type { CreateDependencyVersionRequest } from "../../sdk/functiongraph/types/dependency";
import type { Props, ResourceHandler } from "../handler";
import { functionGraphContext } from "./context";
import { partialFailure } from "../partial-failure";
import {
  assertValid,
  deleteOrGone,
  immutableUpdate,
  readOrGone,
  sha256Hex,
  unknown,
  unknownSentinel,
} from "./common";
import {
  dependencyInputKeys,
  dependencyOutputs,
  diffDependencyVersion,
  maxDependencyBytes,
  validateDependencyVersion,
} from "./dependency-version-model";
import { createDependencyVersionOnce } from "./create-once";
import { checkLocalFile } from "./input-rules";

/** Validates inputs and adds `fileHash` (of the package bytes, or the link); never sends a request. */
export async function checkDependencyVersion(news: Props): Promise<pulumi.dynamic.CheckResult> {
  const { c, inputs } = validateDependencyVersion(news);
  // The file must exist before any hash is taken (no raw ENOENT/EISDIR), issue 11.
  if (typeof inputs.filePath === "string" && /\.zip$/i.test(inputs.filePath))
    await checkLocalFile(c, "filePath", inputs.filePath);
  const sources = (["link", "fileBase64", "filePath"] as const).filter(
    (k) => inputs[k] !== undefined && inputs[k] !== null,
  );
  delete inputs.fileHash;
  if (c.failures.length === 0) {
    if (sources.some((k) => unknown(inputs[k]))) inputs.fileHash = unknownSentinel;
    else if (typeof inputs.link === "string") inputs.fileHash = `obs:${sha256Hex(inputs.link)}`;
    else {
      const bytes = await packageBytes(inputs).catch((err: unknown) => {
        c.fail("filePath", `cannot be read: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      });
      if (bytes) {
        if (bytes.length > maxDependencyBytes)
          c.fail("filePath", `must be at most ${maxDependencyBytes} bytes`);
        inputs.fileHash = `sha256:${sha256Hex(bytes)}`;
      }
    }
  }
  return c.result(inputs);
}

async function packageBytes(inputs: Props): Promise<Buffer | undefined> {
  if (typeof inputs.fileBase64 === "string") return Buffer.from(inputs.fileBase64, "base64");
  if (typeof inputs.filePath === "string") return readFile(inputs.filePath);
  return undefined;
}

/** Maps the inputs to the create body (the one place camelCase meets snake_case for this resource). */
export async function dependencyCreateBody(inputs: Props): Promise<CreateDependencyVersionRequest> {
  const body: CreateDependencyVersionRequest = {
    depend_type: typeof inputs.link === "string" ? "obs" : "zip",
    runtime: String(inputs.runtime),
    name: String(inputs.name),
  };
  if (typeof inputs.description === "string") body.description = inputs.description;
  if (typeof inputs.link === "string") body.depend_link = inputs.link;
  else body.depend_file = (await packageBytes(inputs))?.toString("base64") ?? "";
  return body;
}

function parseId(id: string): { dependId: string; version: number } {
  const slash = id.lastIndexOf("/");
  const version = Number(id.slice(slash + 1));
  if (slash <= 0 || !Number.isInteger(version) || version < 1)
    throw new TypeError(`not a dependency version id (<dependencyId>/<version>): ${id}`);
  return { dependId: id.slice(0, slash), version };
}

/** The functions whose `latest` code uses the dependency version `versionId` (URNs). */
async function latestUsers(ctx: ClientContext, versionId: string): Promise<string[]> {
  const users: string[] = [];
  for await (const fn of listFunctions(ctx))
    if ((fn.depend_version_list ?? []).includes(versionId)) users.push(fn.func_urn);
  return users;
}

/**
 * A dependency version the service refuses to delete (412 `FSS.1033`, in use). When a function's
 * `latest` uses it, that is a real error and it stands. When only published function versions do —
 * they are immutable, so an upgrade of the dependency could never finish (issue 10, defect 8) — the
 * old version is left in the cloud, forgotten by the stack, and a warning says so.
 */
async function leavePinnedVersion(
  ctx: ClientContext,
  id: string,
  props: Props,
  err: ServiceError,
): Promise<void> {
  const versionId = typeof props.versionId === "string" ? props.versionId : undefined;
  const users = versionId === undefined ? [] : await latestUsers(ctx, versionId);
  if (versionId === undefined || users.length > 0)
    throw new ServiceError(
      `${err.message}. The dependency version ${id} is still used by ${
        users.length > 0 ? `function ${users.join(", ")}` : "a function"
      }: remove it from dependVersionList first.`,
      { code: err.code, statusCode: err.statusCode, requestId: err.requestId, cause: err },
    );
  warn(
    `DependencyVersion ${id} (version id ${versionId}) is still used by published function versions, ` +
      `which cannot change: it was left in FunctionGraph and removed from the stack. Delete it once ` +
      `those function versions are deleted.`,
  );
}

/** The handler of `functiongraph:DependencyVersion`. */
export function dependencyVersionHandler(): ResourceHandler {
  return {
    check: (_olds, news) => checkDependencyVersion(news),
    diff: (_id, olds, news) => Promise.resolve(diffDependencyVersion(olds, news)),
    async create(raw, call) {
      const inputs = assertValid(await checkDependencyVersion(raw));
      const ctx = await functionGraphContext(call);
      if (typeof inputs.adoptId === "string") {
        const v = await deps.getDependencyVersion(ctx, parseId(inputs.adoptId));
        if (v.name !== inputs.name || v.runtime !== inputs.runtime)
          throw new ValidationError([
            {
              property: "adoptId",
              reason: `dependency version ${inputs.adoptId} is ${v.name} (${v.runtime}); name and runtime must match`,
            },
          ]);
        return { id: `${v.dep_id}/${v.version}`, outs: dependencyOutputs(v, inputs) };
      }
      const v = await createDependencyVersionOnce(ctx, await dependencyCreateBody(inputs), call?.identity);
      const id = `${v.dep_id}/${v.version}`;
      if (!v.id || !v.dep_id || !v.version)
        throw partialFailure(
          new Error("the service answered without id, dep_id or version"),
          id,
          dependencyOutputs(v, inputs),
          raw,
        );
      // Read the detail back: only it carries `download_link`, so create's outputs equal a refresh's.
      try {
        return { id, outs: dependencyOutputs(await deps.getDependencyVersion(ctx, parseId(id)), inputs) };
      } catch (err) {
        throw partialFailure(err, id, dependencyOutputs(v, inputs), raw);
      }
    },
    async read(id, props, _inputs, call) {
      const ctx = await functionGraphContext(call);
      return readOrGone(async () => {
        const v = await deps.getDependencyVersion(ctx, parseId(id));
        const outs = dependencyOutputs(v, props);
        const inputs: Props = {};
        for (const k of [...dependencyInputKeys, "fileHash"]) if (outs[k] !== undefined) inputs[k] = outs[k];
        return { id, props: outs, inputs };
      });
    },
    update: immutableUpdate("functiongraph:DependencyVersion"),
    async delete(id, props, call) {
      const ctx = await functionGraphContext(call);
      try {
        await deleteOrGone(() => deps.deleteDependencyVersion(ctx, parseId(id)));
      } catch (err) {
        if (!(err instanceof ServiceError && err.code === "FSS.1033")) throw err;
        await leavePinnedVersion(ctx, id, props, err);
      }
    },
  };
}
