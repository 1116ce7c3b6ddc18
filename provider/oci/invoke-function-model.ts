/**
 * Pure logic of `oci:InvokeFunction` (as `@pulumi/oci`'s `functions.InvokeFunction`): validation and
 * diff. An invocation has no cloud object: every input change replaces it, which invokes again.
 */
import { maxInvokeBodyBytes } from "../../sdk/oci/clients/functions-invoke";
import type { Props } from "../handler";
import { DiffCollector, type DiffOutcome, sameJson, timeoutsRule } from "./common";
import { bool, checkInputs, type Failures, type Field, ocid, oneOf, str } from "./validate";

/** The inputs of `oci:InvokeFunction`, by name. */
export const invokeFunctionFields: Readonly<Record<string, Field>> = {
  functionId: { rule: ocid("fnfunc"), required: true },
  invokeFunctionBody: { rule: str({ min: 0, max: maxInvokeBodyBytes }) },
  invokeFunctionBodyBase64Encoded: {
    rule: str({
      min: 0,
      max: Math.ceil(maxInvokeBodyBytes / 3) * 4,
      pattern: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
      describe: "must be base64 (A-Z, a-z, 0-9, +, / and = padding)",
    }),
  },
  base64EncodeContent: { rule: bool },
  fnIntent: { rule: oneOf(["httprequest", "cloudevent"]) },
  fnInvokeType: { rule: oneOf(["sync", "detached"]) },
  isDryRun: { rule: bool },
  idempotent: { rule: bool },
  timeouts: { rule: timeoutsRule },
};

/** Input names of `oci:InvokeFunction`. */
export const invokeFunctionInputKeys: readonly string[] = Object.keys(invokeFunctionFields);

/** Validates inputs: one body at most, within the service's 6 MB. */
export function checkInvokeFunction(news: Props): Failures {
  const failures = checkInputs(news, invokeFunctionFields);
  const text = news.invokeFunctionBody;
  const b64 = news.invokeFunctionBodyBase64Encoded;
  if (text !== undefined && text !== null && b64 !== undefined && b64 !== null) {
    failures.push({
      property: "invokeFunctionBodyBase64Encoded",
      reason: "give either invokeFunctionBody or invokeFunctionBodyBase64Encoded, not both",
    });
  }
  if (typeof text === "string" && Buffer.byteLength(text, "utf8") > maxInvokeBodyBytes) {
    failures.push({
      property: "invokeFunctionBody",
      reason: `is ${Buffer.byteLength(text, "utf8")} bytes; OCI Functions accepts at most ${maxInvokeBodyBytes}`,
    });
  }
  return failures;
}

/** The request body bytes of checked inputs. */
export function invokeBody(inputs: Props): Buffer {
  if (typeof inputs.invokeFunctionBodyBase64Encoded === "string")
    return Buffer.from(inputs.invokeFunctionBodyBase64Encoded, "base64");
  return Buffer.from(typeof inputs.invokeFunctionBody === "string" ? inputs.invokeFunctionBody : "", "utf8");
}

/** Any change of what is invoked, or how, replaces (invokes again); `timeouts` alone does not. */
export function diffInvokeFunction(olds: Props, news: Props): DiffOutcome {
  const d = new DiffCollector();
  for (const key of invokeFunctionInputKeys) {
    if (key === "timeouts" || key === "idempotent") continue;
    const wanted = news[key];
    const held = olds[key];
    if (wanted === undefined && held === undefined) continue;
    if (wanted === undefined || !sameJson(wanted, held)) d.change(key, true);
    else d.compare(key, wanted, held, true);
  }
  return d.result(false);
}
