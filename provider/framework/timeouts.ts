/**
 * The `timeouts` input every resource with a wait takes: per-phase deadlines (`create`, `update`,
 * `delete`), each a duration string (`"20m"`, `"1h30m"`, `"90s"`, `"500ms"`) or a number of minutes.
 */
import type { Props } from "../handler";
import { isUnknown } from "../inputs";
import type { ValidationFailure } from "../../sdk/core/errors";

/** The phases a `timeouts` input may set. */
export type TimeoutPhase = "create" | "update" | "delete";

const phases: readonly TimeoutPhase[] = ["create", "update", "delete"];
const durationPattern = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+)ms)?$/;
/** Longest accepted timeout: 24 hours, in milliseconds. */
export const maxTimeoutMs = 24 * 3_600_000;

/** A duration string or a number of minutes, in milliseconds; undefined when it is neither. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === "number")
    return Number.isFinite(value) && value > 0 ? Math.round(value * 60_000) : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  const match = text === "" ? null : durationPattern.exec(text);
  if (match === null) return undefined;
  const [, h, m, s, ms] = match;
  const total =
    Number(h ?? 0) * 3_600_000 + Number(m ?? 0) * 60_000 + Number(s ?? 0) * 1000 + Number(ms ?? 0);
  return total > 0 ? Math.round(total) : undefined;
}

/** The failures of a `timeouts` value at `path` (none when absent or unknown). */
export function timeoutsFailures(value: unknown, path = "timeouts"): ValidationFailure[] {
  if (value === undefined || value === null || isUnknown(value)) return [];
  if (typeof value !== "object" || Array.isArray(value))
    return [{ property: path, reason: "must be an object {create?, update?, delete?}" }];
  const failures: ValidationFailure[] = [];
  for (const [phase, v] of Object.entries(value as Record<string, unknown>)) {
    if (!(phases as readonly string[]).includes(phase)) {
      failures.push({
        property: `${path}.${phase}`,
        reason: "is not a known phase (known: create, update, delete)",
      });
      continue;
    }
    if (v === undefined || isUnknown(v)) continue;
    const ms = parseDuration(v);
    if (ms === undefined)
      failures.push({
        property: `${path}.${phase}`,
        reason: `must be a duration such as "20m", "1h30m", "90s" or a number of minutes, got ${JSON.stringify(v)}`,
      });
    else if (ms > maxTimeoutMs)
      failures.push({ property: `${path}.${phase}`, reason: "must be at most 24h" });
  }
  return failures;
}

/** The deadline of `phase` in milliseconds from a resource's `timeouts` property, else `fallbackMs`. */
export function timeoutFor(props: Props | undefined, phase: TimeoutPhase, fallbackMs: number): number {
  const timeouts = props?.timeouts;
  if (typeof timeouts !== "object" || timeouts === null) return fallbackMs;
  return parseDuration((timeouts as Record<string, unknown>)[phase]) ?? fallbackMs;
}
