/**
 * OCI's own validation rules — OCIDs, defined and freeform tags — beside the rules every resource of both
 * clouds shares (provider/framework/rules.ts), which this module re-exports so an OCI model imports one
 * module. Every rule skips the engine's unknown sentinel (preview), so a value not known yet is never
 * rejected.
 */
import { isIP } from "node:net";
import { kind, type Rule, skip, stringMap } from "../framework/rules";
import { isUnknown } from "../inputs";

export * from "../framework/rules";

const ocidPattern = /^ocid1\.([a-z0-9]+)\.[a-z0-9-]*\.[a-z0-9-]*\.[A-Za-z0-9._:-]+$/;

/** The resource type named by an OCID (`fnapp` for `ocid1.fnapp.oc1.iad.aaa…`), else undefined. */
export function ocidTypeOf(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > 255) return undefined;
  return ocidPattern.exec(value)?.[1];
}

/** An OCID, of one of `types` when given (`compartment`, `fnapp`, ...). */
export function ocid(...types: string[]): Rule {
  const what = types.length === 0 ? "an OCID" : `a ${types.join(" or ")} OCID`;
  return (value, path, failures) => {
    if (skip(value)) return;
    if (typeof value !== "string")
      return void failures.push({ property: path, reason: `must be ${what} (a string), got ${kind(value)}` });
    const type = ocidTypeOf(value);
    if (type === undefined)
      return void failures.push({
        property: path,
        reason: `must be ${what} (ocid1.<type>.<realm>.<region>.<unique>), got ${JSON.stringify(value)}`,
      });
    if (types.length > 0 && !types.includes(type))
      failures.push({ property: path, reason: `must be ${what}, got a ${type} OCID` });
  };
}

/** Defined tags: `{namespace: {key: value}}`. */
export const definedTags: Rule = (value, path, failures) => {
  if (skip(value)) return;
  if (typeof value !== "object" || Array.isArray(value))
    return void failures.push({
      property: path,
      reason: `must be a map of namespaces to maps, got ${kind(value)}`,
    });
  for (const [ns, tags] of Object.entries(value as Record<string, unknown>)) {
    if (isUnknown(tags)) continue;
    if (typeof tags !== "object" || tags === null || Array.isArray(tags))
      failures.push({
        property: `${path}.${ns}`,
        reason: `must be a map of tag keys to values, got ${kind(tags)}`,
      });
  }
};

/** Freeform tags: string values, keys of at most 100 characters, values of at most 256. */
export const freeformTags: Rule = (value, path, failures) => {
  stringMap()(value, path, failures);
  if (skip(value) || typeof value !== "object" || Array.isArray(value)) return;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.length === 0 || k.length > 100)
      failures.push({ property: `${path}.${k}`, reason: "tag keys must have 1 to 100 characters" });
    if (typeof v === "string" && v.length > 256)
      failures.push({ property: `${path}.${k}`, reason: "tag values must have at most 256 characters" });
  }
};

/** A rule that accepts anything (for fields validated elsewhere). */

/** An IP address: IPv4 in dot notation, or IPv6 when `v6` is true. */
export function ipAddress(options: { v6?: boolean } = {}): Rule {
  const what = options.v6 === true ? "an IPv4 or IPv6 address" : "an IPv4 address";
  return (value, path, failures) => {
    if (skip(value)) return;
    const version = typeof value === "string" ? isIP(value) : 0;
    if (version === 4 || (version === 6 && options.v6 === true)) return;
    failures.push({ property: path, reason: `must be ${what}, got ${JSON.stringify(value)}` });
  };
}

/** `rule`, then a cap on the UTF-8 size of all the list's strings together (as CreateContainerDetails' 64 KB of arguments). */
export function maxTotalBytes(rule: Rule, limit: number, what: string): Rule {
  return (value, path, failures) => {
    rule(value, path, failures);
    if (skip(value) || !Array.isArray(value)) return;
    const total = value.reduce<number>(
      (sum, v) => sum + (typeof v === "string" && !isUnknown(v) ? Buffer.byteLength(v, "utf8") : 0),
      0,
    );
    if (total > limit)
      failures.push({ property: path, reason: `${what} total ${total} bytes; the limit is ${limit} bytes` });
  };
}
