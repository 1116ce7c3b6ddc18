/**
 * Canonical JSON for comparing values in `diff` and `read`, with one rule for absent values in both
 * clouds: an object member that is `undefined` or `null` is the same as a missing member.
 */

/** A JSON-ish plain object. */
export type Plain = Record<string, unknown>;

/** True for a non-null, non-array object (a Buffer is not one). */
export function isPlainObject(value: unknown): value is Plain {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** JSON with sorted keys and `undefined`/`null` members dropped, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value)) ?? "undefined";
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (!isPlainObject(value)) return value;
  const out: Plain = {};
  for (const k of Object.keys(value).sort())
    if (value[k] !== undefined && value[k] !== null) out[k] = sortDeep(value[k]);
  return out;
}

/** Deep equality of JSON values: key order and `undefined`/`null` members ignored. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
