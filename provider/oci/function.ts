import * as pulumi from "@pulumi/pulumi";
import type { OciConnectionArgs, OciConnectionRecord } from "./connection";
import { stackIdentity } from "../identity";
import { makeProvider } from "../stub";
import {
  type DefinedTagsArgs,
  type FreeformTagsArgs,
  type TimeoutsArgs,
  withSecretOutputs,
} from "./shared-args";

/** Where detached invocations report their outcome. */
export type FunctionDestinationArgs =
  | { kind: "NONE" }
  | { kind: "STREAM"; streamId: pulumi.Input<string> }
  | { kind: "QUEUE"; queueId: pulumi.Input<string>; channelId?: pulumi.Input<string> }
  | { kind: "NOTIFICATION"; topicId: pulumi.Input<string> };

/** Arguments of a {@link Function}. */
export interface FunctionArgs {
  /** Application OCID. Replaces. */
  applicationId: pulumi.Input<string>;
  /** Name, unique in the application. Replaces. */
  displayName: pulumi.Input<string>;
  /** Memory in MB, 128–3072. */
  memoryInMBs: pulumi.Input<number>;
  /** OCIR image, e.g. `iad.ocir.io/ns/repo:tag`. Without `imageDigest` the service resolves the digest, and the resolved digest never shows as a diff. */
  image?: pulumi.Input<string>;
  /**
   * The image digest. Left out: the tag is followed (resolved when the image changes; a re-pushed tag is
   * not picked up by itself). `sha256:…`: pins it; a different value updates in place. `""`: resolves
   * the tag again on this `up` (to redeploy a re-pushed tag; remove it afterwards, or every `up`
   * redeploys). Removing a pin resolves the tag again.
   */
  imageDigest?: pulumi.Input<string>;
  /** A pre-built function instead of an image. Replaces, also when switching to or from `image`. */
  sourceDetails?: pulumi.Input<{ sourceType: "PRE_BUILT_FUNCTIONS"; pbfListingId: pulumi.Input<string> }>;
  /** Configuration: keys `[A-Za-z_][A-Za-z0-9_]*`, ≤ 4 KB in total. Secret output. */
  config?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Seconds, 5–300 (service default 30). */
  timeoutInSeconds?: pulumi.Input<number>;
  /** Seconds, 5–3600, for detached invocations. */
  detachedModeTimeoutInSeconds?: pulumi.Input<number>;
  /** Provisioned concurrency. */
  provisionedConcurrencyConfig?: pulumi.Input<
    { strategy: "NONE" } | { strategy: "CONSTANT"; count: pulumi.Input<number> }
  >;
  /** Destination of successful detached invocations. */
  successDestination?: pulumi.Input<FunctionDestinationArgs>;
  /** Destination of failed detached invocations. */
  failureDestination?: pulumi.Input<FunctionDestinationArgs>;
  /** Tracing. Removing it turns tracing off. */
  traceConfig?: pulumi.Input<{ isEnabled?: pulumi.Input<boolean> }>;
  /** Freeform tags; leaving them out means none. */
  freeformTags?: FreeformTagsArgs;
  /** Defined tags; only the tags written here are compared. */
  definedTags?: DefinedTagsArgs;
  /** Deadlines of create/update/delete (default 20 min each). */
  timeouts?: pulumi.Input<TimeoutsArgs>;
  /** Adopt this existing function (OCID) instead of creating one. */
  adoptId?: pulumi.Input<string>;
  /**
   * Where this resource lives: region and account (config-file profile), overriding the stack configuration for it alone.
   * A change of region or account replaces the resource. Names only; credentials are read at each call.
   */
  connection?: pulumi.Input<OciConnectionArgs>;
}

/**
 * A function of an OCI Functions application.
 *
 * ```ts
 * const fn = new oci.Function("hello", {
 *   applicationId: app.id,
 *   displayName: "hello",
 *   image: "iad.ocir.io/ns/hello:1.0",
 *   memoryInMBs: 256,
 * });
 * export const endpoint = fn.invokeEndpoint;
 * ```
 */
export class Function extends pulumi.dynamic.Resource {
  /** Where the resource was created: region and account identity (never a secret). */
  declare readonly connection: pulumi.Output<OciConnectionRecord>;
  /** `<project>/<stack>/<name>`: how fnstack finds this resource again after a lost answer or a crash. */
  declare readonly stackIdentity: pulumi.Output<string>;
  declare readonly applicationId: pulumi.Output<string>;
  declare readonly displayName: pulumi.Output<string>;
  declare readonly memoryInMBs: pulumi.Output<number>;
  declare readonly image: pulumi.Output<string | undefined>;
  /** The digest the service resolved (or the one given). */
  declare readonly imageDigest: pulumi.Output<string | undefined>;
  /** Whether `imageDigest` is a pin the user wrote (false: resolved from the tag). */
  declare readonly imageDigestPinned: pulumi.Output<boolean | undefined>;
  declare readonly config: pulumi.Output<Record<string, string>>;
  declare readonly timeoutInSeconds: pulumi.Output<number>;
  declare readonly freeformTags: pulumi.Output<Record<string, string>>;
  /** Compartment of the application. */
  declare readonly compartmentId: pulumi.Output<string>;
  /** Architecture resolved from the image. */
  declare readonly shape: pulumi.Output<string>;
  /** Base URL of the invoke API for this function. */
  declare readonly invokeEndpoint: pulumi.Output<string>;
  declare readonly lifecycleState: pulumi.Output<string>;
  declare readonly timeCreated: pulumi.Output<string>;
  declare readonly timeUpdated: pulumi.Output<string>;

  constructor(name: string, args: FunctionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      makeProvider("oci:Function"),
      name,
      {
        connection: undefined,
        image: undefined,
        imageDigest: undefined,
        config: undefined,
        timeoutInSeconds: undefined,
        freeformTags: undefined,
        ...args,
        stackIdentity: stackIdentity(name),
        compartmentId: undefined,
        shape: undefined,
        invokeEndpoint: undefined,
        imageDigestPinned: undefined,
        lifecycleState: undefined,
        timeCreated: undefined,
        timeUpdated: undefined,
      },
      withSecretOutputs(opts, ["config"]),
      "fnstack/oci",
      "Function",
    );
  }

  /** Reads an existing function by OCID into a read-only resource. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): Function {
    return new Function(name, undefined as unknown as FunctionArgs, { ...opts, id });
  }
}
