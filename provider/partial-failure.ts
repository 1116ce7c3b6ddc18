import { FnstackError } from "../sdk/core/errors";
import type { Props } from "./handler";
import { redactSecrets } from "./stack-config";
import { withoutUndefined } from "./without-undefined";

/**
 * A resource the cloud accepted but that failed afterwards (it never became ACTIVE, a follow-up call
 * failed). The dynamic-provider plugin sees `.id` and answers `ErrorResourceInitFailed{id, properties,
 * reasons}`, so Pulumi records the resource with init errors instead of forgetting it: the next
 * `up` retries it with an update, and `destroy` deletes it.
 */
export class ResourceInitError extends FnstackError {
  /** The id the cloud gave the resource. */
  readonly id: string;
  /** Outputs to record in state, `__provider` included so a later `destroy` can load the stub. */
  readonly properties: Props;
  /** Why initialization failed; one entry, the message. */
  readonly reasons: string[];

  constructor(message: string, id: string, properties: Props, cause: unknown) {
    super(message, { code: "ResourceInitFailed", cause });
    this.id = id;
    this.properties = properties;
    this.reasons = [message];
  }
}

/**
 * Builds the error a handler throws when `create` (or `update`) fails after the resource exists.
 *
 * `properties` is `outputs` plus `__provider` copied from `inputs`: the plugin does not add it to the
 * properties of a failed create, and without it a `destroy` before the next `up` fails with
 * "code must be a string" (pulumi-dynamic.md §3.13). The message names the resource id and the cause;
 * only the cause's own message is used (never its request, headers or properties), and credential
 * values from the stack config are redacted from it.
 *
 * @param cause what went wrong after the cloud accepted the resource
 * @param id the resource's id in the cloud
 * @param outputs what is known of the resource (at least enough for `read` and `delete`)
 * @param inputs the checked inputs of the failed call, which carry `__provider`
 */
export function partialFailure(cause: unknown, id: string, outputs: Props, inputs: Props): ResourceInitError {
  const properties: Props = withoutUndefined({ ...outputs });
  if (inputs.__provider !== undefined) properties.__provider = inputs.__provider;
  const message = redactSecrets(`resource ${id} exists but failed to initialize: ${describeCause(cause)}`);
  return new ResourceInitError(message, id, properties, cause);
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message || cause.name;
  if (typeof cause === "string") return cause;
  // An arbitrary thrown object may hold anything, credentials included: name its type only.
  return `a non-Error value (${cause === null ? "null" : typeof cause}) was thrown`;
}
