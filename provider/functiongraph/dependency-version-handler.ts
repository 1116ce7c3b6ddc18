/**
 * `functiongraph:DependencyVersion`: one immutable version of a dependency package, from an OBS link or
 * an inline zip (base64 or a local file). The id is `<dependencyId>/<version>`; `versionId` is what a
 * Function lists in `dependVersionList`.
 */
import { readFile } from "node:fs/promises";
import type * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../../sdk/core/errors";
import * as deps from "../../sdk/functiongraph/clients/dependencies";
import type {
  CreateDependencyVersionRequest,
  DependencyVersion,
} from "../../sdk/functiongraph/types/dependency";
import type { Props, ResourceHandler } from "../handler";
import { functionGraphContext } from "./context";
import { partialFailure } from "../partial-failure";
import {
  assertValid,
  changedKeys,
  Checker,
  compact,
  deleteOrGone,
  diffResult,
  immutableUpdate,
  readOrGone,
  sha256Hex,
  unknown,
  unknownSentinel,
} from "./common";
import { createDependencyVersionOnce } from "./create-once";
import { checkLocalFile, zipBase64Problem } from "./input-rules";

/** Dependency name: ≤96 letters, digits, `_`, `.`, `-`; starts with a letter, ends with a letter or digit. */
export const dependencyNamePattern = /^[A-Za-z](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$/;
/** `depend_file` at most 40 MB. */
export const maxDependencyBytes = 40 * 1024 * 1024;

const inputKeys = ["name", "runtime", "description", "link", "fileBase64", "filePath", "adoptId"] as const;
/** Every input is immutable: there is no update API. */
const replaceKeys = ["name", "runtime", "description", "link", "fileHash"] as const;

/** Validates inputs and adds `fileHash` (of the package bytes, or the link); never sends a request. */
export async function checkDependencyVersion(news: Props): Promise<pulumi.dynamic.CheckResult> {
  const c = new Checker();
  const inputs: Props = { ...news };
  c.noUnknownKeys("", inputs, [...inputKeys, "fileHash"]);
  if (c.required("name", inputs.name))
    c.string("name", inputs.name, {
      max: 96,
      pattern: dependencyNamePattern,
      describe:
        "must be 1–96 letters, digits, '_', '.', '-', start with a letter and end with a letter or digit",
    });
  if (c.required("runtime", inputs.runtime))
    c.string("runtime", inputs.runtime, { max: 64, pattern: /^[A-Za-z][A-Za-z0-9.#() -]*$/ });
  c.string("description", inputs.description, { max: 512 });
  const sources = (["link", "fileBase64", "filePath"] as const).filter(
    (k) => inputs[k] !== undefined && inputs[k] !== null,
  );
  if (sources.length === 0) c.fail("link", "one of link (OBS URL), fileBase64 or filePath is required");
  if (sources.length > 1)
    c.fail(
      sources[1] ?? "link",
      `only one of link, fileBase64, filePath may be given, got ${sources.join(", ")}`,
    );
  c.string("link", inputs.link, {
    max: 1024,
    pattern: /^(https?|obs):\/\/\S+\.zip$/i,
    describe: "must be the OBS URL of a .zip file",
  });
  if (typeof inputs.fileBase64 === "string" && !unknown(inputs.fileBase64)) {
    if (
      inputs.fileBase64.length === 0 ||
      inputs.fileBase64.length % 4 !== 0 ||
      !/^[A-Za-z0-9+/]*={0,2}$/.test(inputs.fileBase64)
    )
      c.fail("fileBase64", "must be the base64 of a zip file");
    else if ((inputs.fileBase64.length / 4) * 3 > maxDependencyBytes)
      c.fail("fileBase64", `must decode to at most ${maxDependencyBytes} bytes; use an OBS link`);
    else if (zipBase64Problem(inputs.fileBase64) !== undefined)
      c.fail("fileBase64", zipBase64Problem(inputs.fileBase64) as string);
  } else c.string("fileBase64", inputs.fileBase64);
  c.string("filePath", inputs.filePath, { min: 1, pattern: /\.zip$/i, describe: "must name a .zip file" });
  if (typeof inputs.filePath === "string" && /\.zip$/i.test(inputs.filePath))
    await checkLocalFile(c, "filePath", inputs.filePath);
  c.string("adoptId", inputs.adoptId, {
    pattern: /^[^/\s]+\/[1-9][0-9]*$/,
    describe: "must be <dependencyId>/<version>",
  });

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

/** Outputs from the wire object, plus the inputs the service does not return. */
export function dependencyOutputs(v: DependencyVersion, inputs: Props): Props {
  return compact({
    name: v.name,
    runtime: v.runtime,
    description: v.description ?? (inputs.description === undefined ? undefined : ""),
    link: inputs.link, // the service rewrites it to its own bucket: that is `storedLink`
    filePath: inputs.filePath,
    fileHash: inputs.fileHash,
    adoptId: inputs.adoptId,
    versionId: v.id,
    dependencyId: v.dep_id,
    version: v.version,
    storedLink: v.link,
    etag: v.etag,
    size: v.size,
    owner: v.owner,
    fileName: v.file_name,
    lastModified: v.last_modified,
    downloadLink: v.download_link,
  });
}

/** Every change replaces (there is no update API); a new version never conflicts with the old one. */
export function diffDependencyVersion(olds: Props, news: Props): pulumi.dynamic.DiffResult {
  const keys = replaceKeys.filter(
    (k) => !(k === "description" && news.description === undefined && !olds.description),
  );
  return diffResult(changedKeys(olds, news, keys), replaceKeys);
}

function parseId(id: string): { dependId: string; version: number } {
  const slash = id.lastIndexOf("/");
  const version = Number(id.slice(slash + 1));
  if (slash <= 0 || !Number.isInteger(version) || version < 1)
    throw new TypeError(`not a dependency version id (<dependencyId>/<version>): ${id}`);
  return { dependId: id.slice(0, slash), version };
}

/** The handler of `functiongraph:DependencyVersion`. */
export function dependencyVersionHandler(): ResourceHandler {
  return {
    check: (_olds, news) => checkDependencyVersion(news),
    diff: (_id, olds, news) => Promise.resolve(diffDependencyVersion(olds, news)),
    async create(raw) {
      const inputs = assertValid(await checkDependencyVersion(raw));
      const ctx = await functionGraphContext();
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
      const v = await createDependencyVersionOnce(ctx, await dependencyCreateBody(inputs));
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
    async read(id, props) {
      const ctx = await functionGraphContext();
      return readOrGone(async () => {
        const v = await deps.getDependencyVersion(ctx, parseId(id));
        const outs = dependencyOutputs(v, props);
        const inputs: Props = {};
        for (const k of [...inputKeys, "fileHash"]) if (outs[k] !== undefined) inputs[k] = outs[k];
        return { id, props: outs, inputs };
      });
    },
    update: immutableUpdate("functiongraph:DependencyVersion"),
    async delete(id) {
      const ctx = await functionGraphContext();
      await deleteOrGone(() => deps.deleteDependencyVersion(ctx, parseId(id)));
    },
  };
}
