/**
 * The validation rules of every resource's `check`, for both clouds (OCI's container instance model
 * started them; FunctionGraph's Checker applies them too). A small declarative validator for `check`: each rule walks one value and records failures as
 * `{property, reason}` naming the dotted path and the rule. Every rule skips the engine's unknown
 * sentinel (preview), so a value not known yet is never rejected.
 */
import type { ValidationFailure } from "../../sdk/core/errors";
import { isUnknown } from "../inputs";

/** Collected failures. */
export type Failures = ValidationFailure[];

/** Validates `value` found at `path`, pushing failures. */
export type Rule = (value: unknown, path: string, failures: Failures) => void;

/** A field of an object rule. */
export interface Field {
  readonly rule: Rule;
  readonly required?: boolean;
}

/** True for a value a rule does not judge: absent, null, or the engine's unknown sentinel (preview). */
export function skip(value: unknown): boolean {
  return value === undefined || value === null || isUnknown(value);
}

/** How a value is described in a failure's reason: `null`, `an array`, `an object`, `a number`… */
export function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** A string of `min..max` characters (default 1..255) that matches `pattern` if given. */
export function str(options: { min?: number; max?: number; pattern?: RegExp; describe?: string } = {}): Rule {
  const min = options.min ?? 1;
  const max = options.max ?? 255;
  return (value, path, failures) => {
    if (skip(value)) return;
    if (typeof value !== "string")
      return void failures.push({ property: path, reason: `must be a string, got ${kind(value)}` });
    if (value.length < min)
      return void failures.push({
        property: path,
        reason: min === 1 ? "must not be empty" : `must have at least ${min} characters`,
      });
    if (value.length > max)
      return void failures.push({
        property: path,
        reason: `must have at most ${max} characters (has ${value.length})`,
      });
    if (options.pattern !== undefined && !options.pattern.test(value)) {
      failures.push({ property: path, reason: options.describe ?? `must match ${options.pattern.source}` });
    }
  };
}

/** An integer in `min..max`. */
export function int(min: number, max: number, unit = ""): Rule {
  return (value, path, failures) => {
    if (skip(value)) return;
    if (typeof value !== "number" || !Number.isInteger(value))
      return void failures.push({
        property: path,
        reason: `must be an integer, got ${kind(value)} ${JSON.stringify(value)}`,
      });
    if (value < min || value > max)
      failures.push({ property: path, reason: `must be between ${min} and ${max}${unit}, got ${value}` });
  };
}

/** A finite number in `min..max`. */
export function num(min: number, max: number, unit = ""): Rule {
  return (value, path, failures) => {
    if (skip(value)) return;
    if (typeof value !== "number" || !Number.isFinite(value))
      return void failures.push({ property: path, reason: `must be a number, got ${kind(value)}` });
    if (value < min || value > max)
      failures.push({ property: path, reason: `must be between ${min} and ${max}${unit}, got ${value}` });
  };
}

/** A boolean. */
export const bool: Rule = (value, path, failures) => {
  if (skip(value)) return;
  if (typeof value !== "boolean")
    failures.push({ property: path, reason: `must be true or false, got ${kind(value)}` });
};

/** One of `values`. */
export function oneOf(values: readonly string[]): Rule {
  return (value, path, failures) => {
    if (skip(value)) return;
    if (typeof value !== "string" || !values.includes(value)) {
      failures.push({
        property: path,
        reason: `must be one of ${values.join(", ")}, got ${JSON.stringify(value)}`,
      });
    }
  };
}

/** An array of `min..max` items each checked by `item`; `unique` rejects repeated items. */
export function array(item: Rule, options: { min?: number; max?: number; unique?: boolean } = {}): Rule {
  return (value, path, failures) => {
    if (skip(value)) return;
    if (!Array.isArray(value))
      return void failures.push({ property: path, reason: `must be a list, got ${kind(value)}` });
    if (options.min !== undefined && value.length < options.min)
      failures.push({
        property: path,
        reason: `must have at least ${options.min} item${options.min === 1 ? "" : "s"}`,
      });
    if (options.max !== undefined && value.length > options.max)
      failures.push({
        property: path,
        reason: `must have at most ${options.max} items (has ${value.length})`,
      });
    value.forEach((v, i) => {
      if (v === undefined || v === null)
        failures.push({ property: `${path}[${i}]`, reason: "must not be empty" });
      else item(v, `${path}[${i}]`, failures);
    });
    if (options.unique === true) {
      const seen = new Set<string>();
      value.forEach((v, i) => {
        if (isUnknown(v)) return;
        const key = JSON.stringify(v);
        if (seen.has(key))
          failures.push({ property: `${path}[${i}]`, reason: `repeats ${key}; items must be unique` });
        seen.add(key);
      });
    }
  };
}

/** `value`'s fields; undefined when it is skipped or is not an object (then a failure is recorded). */
function objectValue(value: unknown, path: string, failures: Failures): Record<string, unknown> | undefined {
  if (skip(value)) return undefined;
  if (typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  failures.push({ property: path, reason: `must be an object, got ${kind(value)}` });
  return undefined;
}

/** An object with exactly these fields (unknown field names are rejected, so typos are caught). */
export function obj(
  fields: Readonly<Record<string, Field>>,
  extra: (value: Record<string, unknown>, path: string, failures: Failures) => void = () => {},
): Rule {
  return (value, path, failures) => {
    const record = objectValue(value, path, failures);
    if (record === undefined) return;
    checkFields(record, fields, path, failures);
    extra(record, path, failures);
  };
}

/** Checks a resource's inputs against its `fields` (the engine's `__provider` aside); answers the failures. */
export function checkInputs(
  news: Record<string, unknown>,
  fields: Readonly<Record<string, Field>>,
): Failures {
  const failures: Failures = [];
  checkFields(news, fields, "", failures, ["__provider"]);
  return failures;
}

/** Checks the fields of `record` (used for the top level of a resource's inputs too). */
export function checkFields(
  record: Record<string, unknown>,
  fields: Readonly<Record<string, Field>>,
  path: string,
  failures: Failures,
  ignore: readonly string[] = [],
): void {
  const prefix = path === "" ? "" : `${path}.`;
  for (const key of Object.keys(record)) {
    if (ignore.includes(key) || record[key] === undefined) continue;
    if (!Object.prototype.hasOwnProperty.call(fields, key)) {
      failures.push({
        property: `${prefix}${key}`,
        reason: `is not a known field (known: ${Object.keys(fields).join(", ")})`,
      });
    }
  }
  // Keys, not entries: this runs for every field of every check, and entries allocate a pair each.
  for (const key of Object.keys(fields)) {
    const field = fields[key] as Field;
    const v = record[key];
    if (v === undefined || v === null || v === "") {
      if (field.required === true) failures.push({ property: `${prefix}${key}`, reason: "is required" });
      if (v === "" && field.required !== true) field.rule(v, `${prefix}${key}`, failures);
      continue;
    }
    field.rule(v, `${prefix}${key}`, failures);
  }
}

/** A union of object shapes chosen by the string field `discriminator`. */
export function union(
  discriminator: string,
  variants: Readonly<Record<string, Readonly<Record<string, Field>>>>,
): Rule {
  return (value, path, failures) => {
    const record = objectValue(value, path, failures);
    if (record === undefined) return;
    const tag = record[discriminator];
    if (isUnknown(tag)) return;
    const fields = typeof tag === "string" ? variants[tag] : undefined;
    if (fields === undefined) {
      return void failures.push({
        property: `${path}.${discriminator}`,
        reason: `must be one of ${Object.keys(variants).join(", ")}, got ${JSON.stringify(tag)}`,
      });
    }
    checkFields(record, { ...fields, [discriminator]: { rule: () => {} } }, path, failures);
  };
}

/**
 * A map of strings. `keyPattern` restricts keys; `maxTotalBytes` caps the UTF-8 size of all keys and
 * values together (OCI Functions config: 4 KB).
 */
export function stringMap(
  options: { keyPattern?: RegExp; keyRule?: string; maxTotalBytes?: number; maxEntries?: number } = {},
): Rule {
  return (value, path, failures) => {
    if (skip(value)) return;
    if (typeof value !== "object" || Array.isArray(value))
      return void failures.push({ property: path, reason: `must be a map of strings, got ${kind(value)}` });
    let total = 0;
    const entries = Object.entries(value as Record<string, unknown>);
    if (options.maxEntries !== undefined && entries.length > options.maxEntries) {
      failures.push({
        property: path,
        reason: `must have at most ${options.maxEntries} entries (has ${entries.length})`,
      });
    }
    for (const [k, v] of entries) {
      if (options.keyPattern !== undefined && !options.keyPattern.test(k)) {
        failures.push({
          property: `${path}.${k}`,
          reason: `key ${JSON.stringify(k)} ${options.keyRule ?? `must match ${options.keyPattern.source}`}`,
        });
      }
      if (isUnknown(v)) continue;
      if (typeof v !== "string")
        failures.push({ property: `${path}.${k}`, reason: `must be a string, got ${kind(v)}` });
      else total += Buffer.byteLength(k, "utf8") + Buffer.byteLength(v, "utf8");
    }
    if (options.maxTotalBytes !== undefined && total > options.maxTotalBytes) {
      failures.push({
        property: path,
        reason: `keys and values total ${total} bytes; the limit is ${options.maxTotalBytes} bytes`,
      });
    }
  };
}

/** A rule that accepts anything (for fields validated elsewhere). */
export const any: Rule = () => {};
