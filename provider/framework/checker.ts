/**
 * The `check` collector of every resource, for both clouds: rule methods that record
 * `{property, reason}` failures naming the property and the rule, and skip absent values and the
 * engine's unknown sentinel (preview). Declarative rules (rules.ts) apply through {@link Checker.apply}.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ValidationError, type ValidationFailure } from "../../sdk/core/errors";
import type { Props } from "../handler";
import { isUnknown } from "../inputs";
import { isPlainObject, type Plain } from "./canonical-json";
import type { Rule } from "./rules";
import { timeoutsFailures } from "./timeouts";

const unknown = isUnknown;

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

  /** The `timeouts` input (per-phase deadlines, see provider/framework/timeouts.ts). */
  timeouts(property: string, value: unknown): void {
    this.failures.push(...timeoutsFailures(value, property));
  }

  /** Applies a declarative rule (rules.ts) to the value at `property`. */
  apply(property: string, value: unknown, rule: Rule): void {
    rule(value, property, this.failures);
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
