/**
 * Steps every OCI resource handler takes the same way: check and diff through the resource's model,
 * a read that reports a vanished resource as gone, the adopt guard, and an update that records what
 * the cloud holds when it fails part way.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../../sdk/core/errors";
import { readOrGone as readOrGoneShared } from "../framework/gone";
import type { Props, ResourceHandler } from "../handler";
import { partialFailure } from "../partial-failure";
import { pick } from "./common";
import type { Failures } from "./validate";

/**
 * The `check` and `diff` methods of a handler, from the model's pure `check` (answers the failures,
 * empty when the inputs are valid) and `diff`.
 */
export function checkAndDiff(
  check: (news: Props) => Failures,
  diff: (olds: Props, news: Props) => object,
): Pick<ResourceHandler, "check" | "diff"> {
  return {
    async check(_olds, news) {
      const failures = check(news);
      return failures.length > 0 ? { inputs: news, failures } : { inputs: news };
    },
    async diff(_id, olds, news) {
      return diff(olds, news) as pulumi.dynamic.DiffResult;
    },
  };
}

/** The inputs `read` reports: the input fields of the refreshed outputs. */
export function readInputs(outputs: Props, inputKeys: readonly string[]): Props {
  return pick(outputs, inputKeys);
}

/**
 * A `read`: GETs the resource with `get` and answers its outputs and inputs; a 404 or a DELETED
 * resource answers the empty id, which tells the engine it is gone.
 */
export async function readOrGone<T extends { readonly lifecycleState: string }>(
  id: string,
  get: () => Promise<T>,
  outputs: (resource: T) => Props | Promise<Props>,
  inputKeys: readonly string[],
): Promise<pulumi.dynamic.ReadResult> {
  return readOrGoneShared(async () => {
    const resource = await get();
    if (resource.lifecycleState === "DELETED") return { id: "", props: {} };
    const outs = await outputs(resource);
    return { id, props: outs, inputs: readInputs(outs, inputKeys) };
  });
}

/**
 * Refuses to adopt a resource (`adoptId`) whose `mismatches` (properties that cannot change in place)
 * differ from the inputs: throws a {@link ValidationError} with `reason(property)` for each.
 */
export function assertAdoptable(mismatches: readonly string[], reason: (property: string) => string): void {
  if (mismatches.length === 0) return;
  throw new ValidationError(mismatches.map((property) => ({ property, reason: reason(property) })));
}

/**
 * An `update`: answers `apply()`'s outputs. The update may have been partly applied when it fails, so
 * the failure records what the cloud holds then (`get` mapped by `outputs`; `olds` if the GET fails).
 */
export async function updateOrRecord<T>(
  id: string,
  olds: Props,
  news: Props,
  apply: () => Promise<Props>,
  get: () => Promise<T>,
  outputs: (resource: T) => Props | Promise<Props>,
): Promise<pulumi.dynamic.UpdateResult> {
  try {
    return { outs: await apply() };
  } catch (err) {
    const current = await get().then(outputs, () => olds);
    throw partialFailure(err, id, current, news);
  }
}
