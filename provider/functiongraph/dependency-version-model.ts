/** The DependencyVersion resource's pure logic: the input rules, the outputs, the diff. */
import type * as pulumi from "@pulumi/pulumi";
import type { DependencyVersion } from "../../sdk/functiongraph/types/dependency";
import type { Props } from "../handler";
import { changedKeys, Checker, compact, diffResult, unknown } from "./common";
import { zipBase64Problem } from "./input-rules";

/** Dependency name: ≤96 letters, digits, `_`, `.`, `-`; starts with a letter, ends with a letter or digit. */
export const dependencyNamePattern = /^[A-Za-z](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$/;
/** `depend_file` at most 40 MB. */
export const maxDependencyBytes = 40 * 1024 * 1024;

/** Every input the DependencyVersion accepts. */
export const dependencyInputKeys = [
  "name",
  "runtime",
  "description",
  "link",
  "fileBase64",
  "filePath",
  "adoptId",
] as const;
/** Every input is immutable: there is no update API. */
const replaceKeys = ["name", "runtime", "description", "link", "fileHash"] as const;

/** Validates the inputs with the API's rules (the handler then adds `fileHash`, which reads files). */
export function validateDependencyVersion(news: Props): { c: Checker; inputs: Props } {
  const c = new Checker();
  const inputs: Props = { ...news };
  c.noUnknownKeys("", inputs, [...dependencyInputKeys, "fileHash"]);
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
  c.string("adoptId", inputs.adoptId, {
    pattern: /^[^/\s]+\/[1-9][0-9]*$/,
    describe: "must be <dependencyId>/<version>",
  });
  return { c, inputs };
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
