/**
 * FunctionGraph input rules the checks call through one-line hooks (issue 11): each answers the reason
 * an input is wrong, or undefined. They stop before any request what the service would otherwise
 * refuse later (or, for a local file, what would surface as a raw ENOENT/EISDIR).
 */
import { stat } from "node:fs/promises";
import { isUnknown } from "../inputs";
import { connectionKnown } from "../connection";
import type { CallScope } from "../handler";
import { stackConfig } from "../stack-config";
import { callConnection } from "./connection";

/** Cron fields in FunctionGraph's order (functiongraph-api.md, TIMER triggers): sec min hour dom month [dow]. */
const cronFields = [
  { name: "second", min: 0, max: 59 },
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  {
    name: "month",
    min: 1,
    max: 12,
    names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
  },
  { name: "day of week", min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
] as const;

/**
 * The first out-of-range value of a 5- or 6-field Cron schedule (`61` as a minute, `25` as an hour,
 * `13` as a month), or undefined. Wildcards (`*`, `?`), `L`, `W`, `#` and month/day names are left to
 * the field syntax check.
 */
export function cronRangeProblem(fields: readonly string[]): string | undefined {
  for (const [index, field] of fields.entries()) {
    const spec = cronFields[index];
    if (spec === undefined) return undefined;
    for (const item of field.split(",")) {
      const [range = "", step] = item.split("/");
      if (step !== undefined && !/^[1-9][0-9]*$/.test(step))
        return `the ${spec.name} step "${step}" must be a positive integer`;
      for (const part of range.replace(/[LW]$/i, "").split(/[-#]/)) {
        if (!/^[0-9]+$/.test(part)) {
          const named = "names" in spec && (spec.names as readonly string[]).includes(part.toUpperCase());
          if (part === "" || part === "*" || part === "?" || named || /^[LW]$/i.test(part)) continue;
          if (/^[A-Za-z]+$/.test(part)) return `"${part}" is not a ${spec.name} name`;
          continue;
        }
        const value = Number(part);
        if (item.includes("#") && part === range.split("#")[1]) {
          if (value < 1 || value > 5) return `the week of the month after # must be 1–5, got ${value}`;
          continue;
        }
        if (value < spec.min || value > spec.max)
          return `the ${spec.name} must be ${spec.min}–${spec.max}, got ${value}`;
      }
    }
  }
  return undefined;
}

/** Why `path` cannot be uploaded as code: missing, a directory, unreadable; undefined when it is a file. */
export async function localFileProblem(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return `${path} is a directory; give the path of a .zip or .jar file`;
    if (!info.isFile()) return `${path} is not a regular file`;
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return `${path} does not exist`;
    if (code === "EACCES") return `${path} cannot be read (permission denied)`;
    return `${path} cannot be read (${code ?? "unknown error"})`;
  }
}

/** Adds a failure for `property` when its value names a local file that cannot be uploaded. */
export async function checkLocalFile(
  c: { fail(property: string, reason: string): void },
  property: string,
  value: unknown,
): Promise<void> {
  if (typeof value !== "string" || value === "" || isUnknown(value)) return;
  const problem = await localFileProblem(value);
  if (problem !== undefined) c.fail(property, problem);
}

/** Why base64 text is not a zip file (its bytes must start with a zip signature, `PK\x03\x04` or `PK\x05\x06`). */
export function zipBase64Problem(text: string): string | undefined {
  const head = Buffer.from(text.slice(0, 8), "base64");
  const zip = head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && [3, 5].includes(head[2] ?? 0);
  return zip ? undefined : "must be the base64 of a zip file (it does not start with a zip signature)";
}

/**
 * Why `funcUrn` cannot be used with the provider's credentials: its project id differs from the one the
 * stack config or environment names (`opentelekomcloud:projectId`, `huaweicloud:projectId`,
 * `OS_PROJECT_ID`), or the resource's own connection (`call`). Undefined when they agree or the project
 * is only known after signing in.
 */
export function foreignProjectProblem(funcUrn: string, call?: CallScope): string | undefined {
  const project = /^urn:fss:[^:]+:([^:]+):function:/.exec(funcUrn)?.[1];
  if (project === undefined) return undefined;
  // A resource with its own connection works in that connection's project (issue 13); one still unknown,
  // or named only by cloud entry or project name, is not judged here.
  if (!connectionKnown(call)) return undefined;
  const connection = callConnection(call);
  const config = stackConfig();
  const own =
    connection !== undefined
      ? connection.projectId
      : (config("opentelekomcloud:projectId") ??
        config("huaweicloud:projectId") ??
        process.env.OS_PROJECT_ID);
  if (own === undefined || own === "" || own === project) return undefined;
  return `belongs to project ${project}, but the provider works in project ${own}; use a function of that project`;
}

/** Adds a `funcUrn` failure when it names a function of another project (see {@link foreignProjectProblem}). */
export function foreignProjectRule(
  c: { fail(property: string, reason: string): void },
  funcUrn: unknown,
  call: CallScope | undefined,
): void {
  if (typeof funcUrn !== "string" || isUnknown(funcUrn)) return;
  const problem = foreignProjectProblem(funcUrn, call);
  if (problem !== undefined) c.fail("funcUrn", problem);
}
