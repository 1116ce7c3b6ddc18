import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { NotFoundError, ValidationError, type ValidationFailure } from "../../sdk/core/errors";
import type { Props } from "../handler";
import { isUnknown, unknownSentinel } from "../inputs";
import { foreignProjectRule } from "./input-rules";

/** Deadline of trigger waits after a create or update, in milliseconds (peers: 5 min). */
export const triggerSettleTimeoutMs = 5 * 60_000;
/** Deadline of trigger waits after a delete, in milliseconds (peers: 3 min). */
export const triggerDeleteTimeoutMs = 3 * 60_000;

/** True when a value is (or contains) the engine's unknown sentinel. */
export function unknown(value: unknown): boolean {
  return isUnknown(value);
}

export { unknownSentinel };

/** A JSON-ish plain object. */
export type Plain = Record<string, unknown>;

/** True for a non-null, non-array object. */
export function isPlainObject(value: unknown): value is Plain {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

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

/** JSON with sorted keys, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (!isPlainObject(value)) return value;
  const out: Plain = {};
  for (const k of Object.keys(value).sort()) {
    if (value[k] !== undefined) out[k] = sortDeep(value[k]);
  }
  return out;
}

/** Deep equality of JSON values (key order ignored, `undefined` members ignored). */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
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

/**
 * Collects validation failures for `check`. Each rule method skips `undefined` (absent) and the unknown
 * sentinel, so previews with unknown inputs pass; `required` reports missing values.
 */
export class Checker {
  readonly failures: ValidationFailure[] = [];

  /** Adds one failure. */
  fail(property: string, reason: string): void {
    this.failures.push({ property, reason });
  }

  /** True when the value is absent or unknown (rules then do not apply). */
  skip(value: unknown): boolean {
    return value === undefined || value === null || unknown(value);
  }

  /** The property must be present (unknown counts as present). */
  required(property: string, value: unknown): boolean {
    if (value === undefined || value === null || value === "") {
      this.fail(property, "is required");
      return false;
    }
    return !unknown(value);
  }

  /** A string matching `pattern`, of `min..max` characters. */
  string(
    property: string,
    value: unknown,
    rule: { min?: number; max?: number; pattern?: RegExp; describe?: string } = {},
  ): void {
    if (this.skip(value)) return;
    if (typeof value !== "string") return this.fail(property, `must be a string, got ${typeof value}`);
    if (rule.min !== undefined && value.length < rule.min)
      return this.fail(property, `must have at least ${rule.min} characters`);
    if (rule.max !== undefined && value.length > rule.max)
      return this.fail(property, `must have at most ${rule.max} characters (has ${value.length})`);
    if (rule.pattern && !rule.pattern.test(value))
      this.fail(property, rule.describe ?? `must match ${rule.pattern.source}`);
  }

  /** An integer in `min..max`. */
  integer(property: string, value: unknown, min: number, max: number, unit = ""): void {
    if (this.skip(value)) return;
    if (typeof value !== "number" || !Number.isInteger(value))
      return this.fail(property, `must be an integer${unit ? ` (${unit})` : ""}`);
    if (value < min || value > max)
      this.fail(property, `must be between ${min} and ${max}${unit ? ` ${unit}` : ""}, got ${value}`);
  }

  /** One of the listed values. */
  oneOf(property: string, value: unknown, allowed: readonly (string | number | boolean)[]): void {
    if (this.skip(value)) return;
    if (!allowed.includes(value as string)) {
      this.fail(property, `must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
    }
  }

  /** A boolean. */
  boolean(property: string, value: unknown): void {
    if (this.skip(value)) return;
    if (typeof value !== "boolean") this.fail(property, "must be a boolean");
  }

  /** A plain object; returns it when it is one (and known). */
  object(property: string, value: unknown): Plain | undefined {
    if (this.skip(value)) return undefined;
    if (!isPlainObject(value)) {
      this.fail(property, "must be an object");
      return undefined;
    }
    return value;
  }

  /** An array; returns it when it is one (and known). */
  array(property: string, value: unknown, rule: { min?: number; max?: number } = {}): unknown[] | undefined {
    if (this.skip(value)) return undefined;
    if (!Array.isArray(value)) {
      this.fail(property, "must be a list");
      return undefined;
    }
    if (rule.min !== undefined && value.length < rule.min)
      this.fail(property, `must have at least ${rule.min} item(s)`);
    if (rule.max !== undefined && value.length > rule.max)
      this.fail(property, `must have at most ${rule.max} items (has ${value.length})`);
    return value;
  }

  /** A map of string → string. */
  stringMap(property: string, value: unknown): Record<string, string> | undefined {
    const obj = this.object(property, value);
    if (!obj) return undefined;
    let ok = true;
    for (const [k, v] of Object.entries(obj)) {
      if (unknown(v)) continue;
      if (typeof v !== "string") {
        this.fail(`${property}.${k}`, "must be a string");
        ok = false;
      }
    }
    return ok ? (obj as Record<string, string>) : undefined;
  }

  /** Properties not in `known` are rejected (catches typos such as `memory`). */
  noUnknownKeys(prefix: string, obj: Plain, known: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (key === "__provider") continue;
      if (!known.includes(key)) this.fail(prefix ? `${prefix}.${key}` : key, "is not a known property");
    }
  }

  /** The check result: inputs, plus failures when any. */
  result(inputs: Props): pulumi.dynamic.CheckResult {
    return this.failures.length > 0 ? { inputs, failures: this.failures } : { inputs };
  }

  /** Throws a ValidationError when any rule failed (used by create/update as a last guard). */
  throwIfFailed(): void {
    if (this.failures.length > 0) throw new ValidationError(this.failures);
  }
}

/** Pulumi-style `DiffResult` built from the changed keys and the subset that forces replacement. */
export function diffResult(
  changed: readonly string[],
  replaceKeys: readonly string[],
  deleteBeforeReplace = false,
): pulumi.dynamic.DiffResult {
  const replaces = changed.filter((k) => replaceKeys.includes(k));
  return {
    changes: changed.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && deleteBeforeReplace,
  };
}

/**
 * Which of `keys` changed between old outputs and new inputs. An unknown new value counts as a change; a
 * key present only on one side counts as a change; `equal` decides the rest (deep by default).
 */
export function changedKeys(
  olds: Props,
  news: Props,
  keys: readonly string[],
  equal: (key: string, a: unknown, b: unknown) => boolean = (_k, a, b) => sameValue(a, b),
): string[] {
  const changed: string[] = [];
  for (const key of keys) {
    const a = olds[key];
    const b = news[key];
    if (unknown(b)) {
      changed.push(key);
      continue;
    }
    const aAbsent = a === undefined || a === null;
    const bAbsent = b === undefined || b === null;
    if (aAbsent && bAbsent) continue;
    if (aAbsent !== bAbsent || !equal(key, a, b)) changed.push(key);
  }
  return changed;
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
 * (unqualified, or with `qualified` a version or `!alias` allowed).
 */
export function startCheck(
  news: Props,
  keys: readonly string[],
  funcUrn: { qualified: boolean },
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
  foreignProjectRule(c, inputs.funcUrn);
  return { c, inputs };
}

/** The checked inputs, or a ValidationError when `check` failed (create/update's last guard). */
export function assertValid(result: pulumi.dynamic.CheckResult): Props {
  if (result.failures && result.failures.length > 0)
    throw new ValidationError(result.failures.map((f) => ({ property: f.property, reason: f.reason })));
  return result.inputs as Props;
}

/** Runs a read; a resource that is gone reads as the empty result that tells Pulumi so. */
export async function readOrGone(
  read: () => Promise<pulumi.dynamic.ReadResult>,
): Promise<pulumi.dynamic.ReadResult> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof NotFoundError) return { id: "", props: {} };
    throw err;
  }
}

/** Runs a delete; a resource that is already gone counts as deleted. */
export async function deleteOrGone(remove: () => Promise<unknown>): Promise<void> {
  try {
    await remove();
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
}

/** The `update` of an immutable resource: diff never plans one, so reaching it is a bug. */
export function immutableUpdate(kind: string): () => Promise<never> {
  return () =>
    Promise.reject(new Error(`${kind} is immutable: every change replaces it (diff never plans an update)`));
}
