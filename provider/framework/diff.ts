/**
 * The diff collector of every resource's `diff`, for both clouds: which properties changed between the
 * recorded outputs and the new inputs, and which of those the API cannot change in place.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Props } from "../handler";
import { isUnknown } from "../inputs";
import { sameJson } from "./canonical-json";

/** What a `diff` answers (Pulumi's DiffResult, `deleteBeforeReplace` only when set). */
export interface DiffOutcome {
  readonly changes: boolean;
  readonly replaces: string[];
  readonly deleteBeforeReplace?: boolean;
}

/** Collects changed properties and the ones that force a replacement. */
export class DiffCollector {
  readonly changed: string[] = [];
  readonly replaces: string[] = [];

  /** Records `property` as changed; `replace` when the API cannot change it in place. */
  change(property: string, replace: boolean): void {
    if (!this.changed.includes(property)) this.changed.push(property);
    if (replace && !this.replaces.includes(property)) this.replaces.push(property);
  }

  /**
   * Compares the user's `wanted` value with the cloud's `held` one. An absent wanted value means "the
   * cloud decides" and is no change; an unknown one (preview) is a change.
   */
  compare(
    property: string,
    wanted: unknown,
    held: unknown,
    replace: boolean,
    equal: (a: unknown, b: unknown) => boolean = sameJson,
  ): void {
    if (wanted === undefined || wanted === null) return;
    if (isUnknown(wanted) || !equal(wanted, held)) this.change(property, replace);
  }

  /** The diff result. `deleteBeforeReplace` when a replacement would otherwise clash on a unique name. */
  result(deleteBeforeReplace = false): DiffOutcome {
    return {
      changes: this.changed.length > 0,
      replaces: this.replaces,
      ...(this.replaces.length > 0 && deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
    };
  }
}

/**
 * Which of `keys` changed between old outputs and new inputs. An unknown new value counts as a change; a
 * key present only on one side counts as a change; `equal` decides the rest (deep by default).
 */
export function changedKeys(
  olds: Props,
  news: Props,
  keys: readonly string[],
  equal: (key: string, a: unknown, b: unknown) => boolean = (_k, a, b) => sameJson(a, b),
): string[] {
  const changed: string[] = [];
  for (const key of keys) {
    const a = olds[key];
    const b = news[key];
    if (isUnknown(b)) {
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

/** Pulumi-style `DiffResult` from the changed keys and the subset that forces replacement. */
export function diffResult(
  changed: readonly string[],
  replaceKeys: readonly string[],
  deleteBeforeReplace = false,
): pulumi.dynamic.DiffResult {
  const collector = new DiffCollector();
  for (const key of changed) collector.change(key, replaceKeys.includes(key));
  const r = collector.result(deleteBeforeReplace);
  return { changes: r.changes, replaces: r.replaces, deleteBeforeReplace: r.deleteBeforeReplace === true };
}
