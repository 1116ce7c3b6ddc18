import type * as pulumi from "@pulumi/pulumi";

/**
 * Per-phase deadlines of a resource's waits. Each is a duration string (`"20m"`, `"1h30m"`, `"90s"`,
 * `"500ms"`) or a number of minutes. Default 20 minutes each, like Terraform's OCI provider.
 */
export interface TimeoutsArgs {
  /** Deadline of a create (including the wait until ACTIVE). */
  create?: pulumi.Input<string | number>;
  /** Deadline of an update. */
  update?: pulumi.Input<string | number>;
  /** Deadline of a delete (until the resource is gone). */
  delete?: pulumi.Input<string | number>;
}

/** Defined tags: `{namespace: {key: value}}`. */
export type DefinedTagsArgs = pulumi.Input<
  Record<string, pulumi.Input<Record<string, pulumi.Input<unknown>>>>
>;

/** Freeform tags: `{key: value}`. */
export type FreeformTagsArgs = pulumi.Input<Record<string, pulumi.Input<string>>>;

/** Adds `names` to `opts.additionalSecretOutputs`, keeping what the caller listed. */
export function withSecretOutputs<T extends pulumi.CustomResourceOptions>(
  opts: T | undefined,
  names: string[],
): T {
  const listed = opts?.additionalSecretOutputs ?? [];
  return { ...(opts ?? {}), additionalSecretOutputs: [...new Set([...listed, ...names])] } as T;
}
