/** The Version resource's pure logic: the input rules, the outputs from the wire version, the diff. */
import type * as pulumi from "@pulumi/pulumi";
import { unqualifiedUrn } from "../../sdk/functiongraph/clients/common";
import type { FunctionVersion } from "../../sdk/functiongraph/types/version";
import type { CallScope, Props } from "../handler";
import { changedKeys, compact, diffResult, functionUrnPattern, startCheck, unknown } from "./common";

/** Version names: 1–42 letters, digits, `_`, `-`, `.`; starts with a letter or digit; not `latest`. */
export const versionNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,41}$/;
export { functionUrnPattern };

const inputKeys = ["funcUrn", "version", "description", "digest", "adoptId"] as const;
const replaceKeys = ["funcUrn", "version", "description", "digest"] as const;

/** Validates Version inputs; never sends a request. */
export function checkVersion(news: Props, call?: CallScope): pulumi.dynamic.CheckResult {
  const { c, inputs } = startCheck(news, inputKeys, { qualified: false }, call);
  if (typeof inputs.funcUrn === "string") inputs.funcUrn = unqualifiedUrn(inputs.funcUrn);
  c.string("version", inputs.version, {
    pattern: versionNamePattern,
    describe: "must be 1–42 letters, digits, '_', '-', '.', starting with a letter or digit",
  });
  if (inputs.version === "latest") c.fail("version", '"latest" always exists and cannot be published');
  c.string("description", inputs.description, { max: 512 });
  c.string("digest", inputs.digest, {
    pattern: /^[0-9a-f]{128}$/,
    describe: "must be the SHA-512 hex digest of the code (the Function's `digest` output)",
  });
  c.string("adoptId", inputs.adoptId, {
    pattern: /^urn:fss:[^:]+:[^:]+:function:[^:]+:[^:]+:[^:!]+$/,
    describe: "must be a version URN (<funcUrn>:<version>)",
  });
  if (
    typeof inputs.adoptId === "string" &&
    typeof inputs.funcUrn === "string" &&
    unqualifiedUrn(inputs.adoptId) !== inputs.funcUrn
  )
    c.fail("adoptId", "must be a version of funcUrn");
  return c.result(inputs);
}

/** Outputs from the wire version (the one place for this resource's mapping). */
export function versionOutputs(v: FunctionVersion, funcUrn: string, extra: Props): Props {
  return compact({
    funcUrn,
    version: v.version,
    versionUrn: `${funcUrn}:${v.version}`,
    // `description` of a version object is the function's; the version's own is `version_description`.
    description: v.version_description ?? "",
    digest: v.digest,
    codeSize: v.code_size,
    runtime: v.runtime,
    memorySize: v.memory_size,
    lastModified: v.last_modified,
    ...extra,
  });
}

/** Any change replaces; an omitted name or digest (service-chosen) is not a change. */
export function diffVersion(olds: Props, news: Props): pulumi.dynamic.DiffResult {
  const keys = replaceKeys.filter((k) => {
    if ((k === "version" || k === "digest") && news[k] === undefined) return false;
    if (k === "description" && news.description === undefined) return Boolean(olds.description);
    return true;
  });
  // A named version is replaced by one with the same name: the old one must go first, or the publish
  // fails with FSS.1062 "version exists" (issue 10, defect 6).
  const sameName =
    typeof news.version === "string" && !unknown(news.version) && news.version === olds.version;
  return diffResult(changedKeys(olds, news, keys), replaceKeys, sameName);
}
