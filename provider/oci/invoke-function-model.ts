/**
 * Pure logic of `oci:InvokeFunction` (as `@pulumi/oci`'s `functions.InvokeFunction`): validation and
 * diff. An invocation has no cloud object: every input change replaces it, which invokes again.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
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
  inputBodySourcePath: { rule: str({ max: 4096 }) },
  /** Set by `check` from the file at `inputBodySourcePath`, so a changed file invokes again. */
  inputBodySourceSha256: { rule: str({ pattern: /^[0-9a-f]{64}$/, describe: "must be a hex SHA-256" }) },
  base64EncodeContent: { rule: bool },
  fnIntent: { rule: oneOf(["httprequest", "cloudevent"]) },
  fnInvokeType: { rule: oneOf(["sync", "detached"]) },
  isDryRun: { rule: bool },
  idempotent: { rule: bool },
  timeouts: { rule: timeoutsRule },
};

/** Input names of `oci:InvokeFunction`. */
export const invokeFunctionInputKeys: readonly string[] = Object.keys(invokeFunctionFields);

const bodyKeys = ["invokeFunctionBody", "invokeFunctionBodyBase64Encoded", "inputBodySourcePath"] as const;

/**
 * Validates inputs: one body at most (text, base64 or a file, as terraform's `invoke_function_body`,
 * `invoke_function_body_base64_encoded` and `input_body_source_path` conflict), within the service's 6 MB.
 * A body file must be a readable regular file of at most 6 MB (checked at preview, as terraform does).
 */
export function checkInvokeFunction(news: Props): Failures {
  const failures = checkInputs(news, invokeFunctionFields);
  const given = bodyKeys.filter((k) => news[k] !== undefined && news[k] !== null);
  if (given.length > 1) {
    failures.push({
      property: given[1] as string,
      reason: `give one body: ${given.join(" and ")} are both set (choose one of ${bodyKeys.join(", ")})`,
    });
  }
  const text = news.invokeFunctionBody;
  if (typeof news.inputBodySourcePath === "string" && news.inputBodySourcePath !== "") {
    const problem = bodyFileProblem(news.inputBodySourcePath);
    if (problem !== undefined) failures.push({ property: "inputBodySourcePath", reason: problem });
  }
  if (typeof text === "string" && Buffer.byteLength(text, "utf8") > maxInvokeBodyBytes) {
    failures.push({
      property: "invokeFunctionBody",
      reason: `is ${Buffer.byteLength(text, "utf8")} bytes; OCI Functions accepts at most ${maxInvokeBodyBytes}`,
    });
  }
  return failures;
}

/** Why the file at `path` cannot be a body, or undefined when it can. */
function bodyFileProblem(path: string): string | undefined {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return `${JSON.stringify(path)} is not a regular file`;
    size = stat.size;
  } catch (err) {
    return `cannot read ${JSON.stringify(path)}: ${(err as NodeJS.ErrnoException).code ?? "unreadable"}`;
  }
  if (size > maxInvokeBodyBytes)
    return `${JSON.stringify(path)} is ${size} bytes; OCI Functions accepts at most ${maxInvokeBodyBytes}`;
  return undefined;
}

/**
 * The SHA-256 (hex) of the body file, for `check` to record in `inputBodySourceSha256`: so a file whose
 * content changed is a diff (terraform only sees a changed path). Undefined when there is no readable
 * file (check reports that).
 */
export function bodyFileSha256(inputs: Props): string | undefined {
  const path = inputs.inputBodySourcePath;
  if (typeof path !== "string" || path === "" || bodyFileProblem(path) !== undefined) return undefined;
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** The request body bytes of checked inputs with a text or base64 body (a file body is read by the handler). */
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
