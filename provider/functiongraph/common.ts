import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../../sdk/core/errors";
import { Checker } from "../framework/checker";
import type { CallScope, Props } from "../handler";
import { isUnknown, unknownSentinel } from "../inputs";
import { foreignProjectRule } from "./input-rules";
import { isPlainObject, type Plain, sameJson } from "../framework/canonical-json";

// The generic pieces live in provider/framework (shared with OCI); FunctionGraph modules reach them here.
export { Checker } from "../framework/checker";
export { canonicalJson, isPlainObject, type Plain } from "../framework/canonical-json";
export { changedKeys, diffResult } from "../framework/diff";
export { deleteOrGone, readOrGone } from "../framework/gone";

/** Deadline of trigger waits after a create or update, in milliseconds (peers: 5 min). */
export const triggerSettleTimeoutMs = 5 * 60_000;
/** Deadline of trigger waits after a delete, in milliseconds (peers: 3 min). */
export const triggerDeleteTimeoutMs = 3 * 60_000;

/** True when a value is (or contains) the engine's unknown sentinel. */
export function unknown(value: unknown): boolean {
  return isUnknown(value);
}

export { unknownSentinel };

/** `memorySize` → `memory_size`. */
export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `memory_size` → `memorySize`. */
export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * Converts the keys of a structured object (and its nested objects and arrays) between cases. Only for
 * objects whose keys are all API field names: maps with user-chosen keys (environment variables, tags,
 * version weights) must never go through here.
 */
export function convertKeys(value: unknown, convert: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => convertKeys(v, convert));
  if (!isPlainObject(value)) return value;
  const out: Plain = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[convert(k)] = convertKeys(v, convert);
  }
  return out;
}

/** Deep camelCase → snake_case of a structured object. */
export function toWire<T = Plain>(value: unknown): T {
  return convertKeys(value, snakeCase) as T;
}

/** Deep snake_case → camelCase of a structured object. */
export function fromWire<T = Plain>(value: unknown): T {
  return convertKeys(value, camelCase) as T;
}

/** Deep equality of JSON values (key order and `undefined`/`null` members ignored; framework rule). */
export function sameValue(a: unknown, b: unknown): boolean {
  return sameJson(a, b);
}

/** Lowercase hex SHA-256. */
export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Removes `undefined` members (and `__provider`) from a property bag. */
export function compact(props: Props): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(props)) {
    if (v !== undefined && v !== null && k !== "__provider") out[k] = v;
  }
  return out;
}

/** Reads a string prop, or undefined. */
export function str(props: Props, key: string): string | undefined {
  const v = props[key];
  return typeof v === "string" ? v : undefined;
}

/** Reads a number prop, or undefined. */
export function num(props: Props, key: string): number | undefined {
  const v = props[key];
  return typeof v === "number" ? v : undefined;
}

/** A function URN without a qualifier (or with `:latest`). */
export const functionUrnPattern =
  /^urn:fss:[a-z0-9-]+:[A-Za-z0-9]+:function:[A-Za-z0-9_-]+:[A-Za-z][A-Za-z0-9_-]*(:latest)?$/;

/** Function URN, optionally qualified with a version or `!alias` (triggers and invocations bind to it). */
export const qualifiedFuncUrnPattern =
  /^urn:fss:[a-z0-9-]+:[A-Za-z0-9]+:function:[A-Za-z0-9_-]+:[A-Za-z][A-Za-z0-9_-]*(:(latest|!?[A-Za-z0-9][A-Za-z0-9_.-]*))?$/;

/**
 * Starts a `check`: a copy of the inputs, unknown keys rejected, and the required `funcUrn` validated
 * (unqualified, or with `qualified` a version or `!alias` allowed, and in the project `call` works in).
 */
export function startCheck(
  news: Props,
  keys: readonly string[],
  funcUrn: { qualified: boolean },
  call: CallScope | undefined,
): { c: Checker; inputs: Props } {
  const c = new Checker();
  const inputs: Props = { ...news };
  c.noUnknownKeys("", inputs, keys);
  if (c.required("funcUrn", inputs.funcUrn))
    c.string(
      "funcUrn",
      inputs.funcUrn,
      funcUrn.qualified
        ? {
            pattern: qualifiedFuncUrnPattern,
            describe: "must be a function URN, optionally with :<version> or :!<alias>",
          }
        : {
            pattern: functionUrnPattern,
            describe: "must be a function URN (urn:fss:<region>:<project>:function:<package>:<name>)",
          },
    );
  foreignProjectRule(c, inputs.funcUrn, call);
  return { c, inputs };
}

/** The checked inputs, or a ValidationError when `check` failed (create/update's last guard). */
export function assertValid(result: pulumi.dynamic.CheckResult): Props {
  if (result.failures && result.failures.length > 0)
    throw new ValidationError(result.failures.map((f) => ({ property: f.property, reason: f.reason })));
  return result.inputs as Props;
}

/** The `update` of an immutable resource: diff never plans one, so reaching it is a bug. */
export function immutableUpdate(kind: string): () => Promise<never> {
  return () =>
    Promise.reject(new Error(`${kind} is immutable: every change replaces it (diff never plans an update)`));
}
