/**
 * The string the Pulumi engine puts wherever an input is not known yet (preview, or an input that
 * depends on a resource still being created). It reaches `check` and `diff` at any depth of the
 * inputs; `create` and `update` never see it.
 */
export const unknownSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when `value` itself is the unknown sentinel (not looking inside objects or arrays). */
export function isWhollyUnknown(value: unknown): boolean {
  return value === unknownSentinel;
}

/**
 * True when `value` is the unknown sentinel or contains it at any depth (array elements, object
 * values). `check` uses it to skip validation of a property that is not known yet; `diff` to
 * report a change without deciding on values it cannot see. Cycles are tolerated.
 */
export function isUnknown(value: unknown): boolean {
  return containsUnknown(value);
}

/** Same as {@link isUnknown}; the name reads better when asking about a whole property bag. */
export function containsUnknown(value: unknown): boolean {
  if (value === unknownSentinel) return true;
  // Scalars, the common case (every field that check validates), allocate nothing.
  if (value === null || typeof value !== "object") return false;
  return containsUnknownWithin(value, new Set());
}

function containsUnknownWithin(value: object, seen: Set<object>): boolean {
  if (seen.has(value)) return false;
  seen.add(value);
  const children: readonly unknown[] = Array.isArray(value) ? value : Object.values(value);
  for (const child of children) {
    if (child === unknownSentinel) return true;
    if (child !== null && typeof child === "object" && containsUnknownWithin(child, seen)) return true;
  }
  return false;
}
