import type * as pulumi from "@pulumi/pulumi";

/**
 * Per-phase deadlines of a resource's waits: each a duration string (`"20m"`, `"1h30m"`, `"90s"`,
 * `"500ms"`) or a number of minutes. A change of `timeouts` alone is never a change of the resource.
 */
export interface TimeoutsArgs {
  /** Deadline of a create (including its waits). */
  create?: pulumi.Input<string | number>;
  /** Deadline of an update. */
  update?: pulumi.Input<string | number>;
  /** Deadline of a delete (until the resource is gone). */
  delete?: pulumi.Input<string | number>;
}
