import type * as pulumi from "@pulumi/pulumi";
import type * as credentialsModule from "../../sdk/functiongraph/auth/credentials";
import type { CallScope, Props } from "../handler";
import { isUnknown } from "../inputs";
import { connectionKnown } from "../connection";
import { stackConfig } from "../stack-config";
import { callConnection } from "./connection";

/**
 * The unqualified URN FunctionGraph gives a function, `urn:fss:<region>:<project id>:function:<package>:<name>`
 * (functiongraph-api.md "URNs": 8 colon fields; the Function's `funcUrn` output is the unqualified form).
 */
export function functionUrn(region: string, projectId: string, pkg: string, name: string): string {
  return `urn:fss:${region}:${projectId}:function:${pkg}:${name}`;
}

/**
 * The Function's `funcUrn` when it is known without a request: name and package known, and the region
 * and project id configured (stack config, `OS_*` environment or clouds.yaml; no IAM lookup). Undefined
 * otherwise. The region and project are those of the resource's connection (`call`), when it has one.
 */
export async function knownFunctionUrn(
  inputs: Props,
  call: CallScope | undefined,
): Promise<string | undefined> {
  const { name } = inputs;
  const pkg = inputs.package ?? "default";
  if (typeof name !== "string" || typeof pkg !== "string" || isUnknown(name) || isUnknown(pkg))
    return undefined;
  try {
    const { resolveFunctionGraphCredentials } =
      require("../../sdk/functiongraph/auth/credentials") as typeof credentialsModule;
    if (!connectionKnown(call)) return undefined;
    const connection = callConnection(call);
    const credentials = await resolveFunctionGraphCredentials({
      config: stackConfig(),
      ...(connection === undefined ? {} : { connection }),
    });
    if (credentials.projectId === undefined) return undefined;
    return functionUrn(credentials.region, credentials.projectId, pkg, name);
  } catch {
    // Credentials that do not resolve are create's error to report, not check's.
    return undefined;
  }
}

/**
 * Runs the Function's input check and adds `funcUrn` to the checked inputs when it is known without a
 * request. During a preview the engine echoes checked inputs as an updated resource's outputs, so a
 * dependent taking `funcUrn` (Version, Alias, Trigger) then sees the real, unchanged value instead of an
 * unknown that would show as a replacement (issue 8 item 5). `funcUrn` is derived, never a user input: a
 * copy from an earlier check is dropped before checking again.
 */
export async function checkWithFunctionUrn(
  check: (news: Props) => Promise<pulumi.dynamic.CheckResult>,
  news: Props,
  call: CallScope | undefined,
): Promise<pulumi.dynamic.CheckResult> {
  const inputs = { ...news };
  delete inputs.funcUrn;
  const result = await check(inputs);
  if ((result.failures ?? []).length > 0 || result.inputs === undefined) return result;
  const funcUrn = await knownFunctionUrn(result.inputs, call);
  return funcUrn === undefined ? result : { ...result, inputs: { ...result.inputs, funcUrn } };
}
