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

/** Arguments of an {@link Application}. */
export interface ApplicationArgs {
  /** Compartment (or tenancy) OCID. Changing it moves the application in place. */
  compartmentId: pulumi.Input<string>;
  /** Name, unique in the compartment: a letter, then letters, digits, `-`, `_` (≤ 255). Replaces. */
  displayName: pulumi.Input<string>;
  /** Subnet OCIDs (1–3; order does not matter). Replaces. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** `GENERIC_X86` (service default), `GENERIC_ARM` or `GENERIC_X86_ARM`. Replaces. */
  shape?: pulumi.Input<"GENERIC_X86" | "GENERIC_ARM" | "GENERIC_X86_ARM">;
  /** Configuration passed to every function: keys `[A-Za-z_][A-Za-z0-9_]*`, ≤ 4 KB in total. Secret output. */
  config?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Network security group OCIDs (≤ 5; order does not matter). */
  networkSecurityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Syslog endpoint for function logs, `tcp://host:port`, `udp://…` or `tcp+tls://…`. Removing it (or `""`) turns syslog off. */
  syslogUrl?: pulumi.Input<string>;
  /** Tracing to an APM domain. Removing it turns tracing off. */
  traceConfig?: pulumi.Input<{ isEnabled?: pulumi.Input<boolean>; domainId?: pulumi.Input<string> }>;
  /** Log line format. */
  logging?: pulumi.Input<{ lineFormat?: pulumi.Input<"JSON" | "PLAIN_TEXT"> }>;
  /** Signed-image verification. */
  imagePolicyConfig?: pulumi.Input<{
    isPolicyEnabled: pulumi.Input<boolean>;
    keyDetails?: pulumi.Input<{ kmsKeyId: pulumi.Input<string> }[]>;
  }>;
  /** Freeform tags; leaving them out means none. */
  freeformTags?: FreeformTagsArgs;
  /** Defined tags; only the tags written here are compared (the cloud may add its own). */
  definedTags?: DefinedTagsArgs;
  /** Zero-trust packet routing security attributes. */
  securityAttributes?: DefinedTagsArgs;
  /** Deadlines of create/update/delete (default 20 min each). */
  timeouts?: pulumi.Input<TimeoutsArgs>;
  /** Adopt this existing application (OCID) instead of creating one; in-place fields are then updated to match. */
  adoptId?: pulumi.Input<string>;
  /**
   * Where this resource lives: region and account (config-file profile), overriding the stack configuration for it alone.
   * A change of region or account replaces the resource. Names only; credentials are read at each call.
   */
  connection?: pulumi.Input<OciConnectionArgs>;
}

/**
 * An OCI Functions application.
 *
 * ```ts
 * const app = new oci.Application("app", {
 *   compartmentId: "ocid1.compartment.oc1..aaaa",
 *   displayName: "orders",
 *   subnetIds: ["ocid1.subnet.oc1.iad.aaaa"],
 *   config: { LOG_LEVEL: "info" },
 * });
 * ```
 */
export class Application extends pulumi.dynamic.Resource {
  /** Where the resource was created: region and account identity (never a secret). */
  declare readonly connection: pulumi.Output<OciConnectionRecord>;
  /** `<project>/<stack>/<name>`: how fnstack finds this resource again after a lost answer or a crash. */
  declare readonly stackIdentity: pulumi.Output<string>;
  declare readonly compartmentId: pulumi.Output<string>;
  declare readonly displayName: pulumi.Output<string>;
  declare readonly subnetIds: pulumi.Output<string[]>;
  declare readonly shape: pulumi.Output<string>;
  declare readonly config: pulumi.Output<Record<string, string>>;
  declare readonly networkSecurityGroupIds: pulumi.Output<string[] | undefined>;
  declare readonly syslogUrl: pulumi.Output<string | undefined>;
  declare readonly traceConfig: pulumi.Output<{ isEnabled?: boolean; domainId?: string } | undefined>;
  declare readonly logging: pulumi.Output<{ lineFormat?: string } | undefined>;
  declare readonly imagePolicyConfig: pulumi.Output<
    { isPolicyEnabled: boolean; keyDetails?: { kmsKeyId: string }[] } | undefined
  >;
  declare readonly freeformTags: pulumi.Output<Record<string, string>>;
  declare readonly definedTags: pulumi.Output<Record<string, Record<string, unknown>> | undefined>;
  /** `CREATING`, `ACTIVE`, … as last read. */
  declare readonly lifecycleState: pulumi.Output<string>;
  /** RFC 3339. */
  declare readonly timeCreated: pulumi.Output<string>;
  /** RFC 3339. */
  declare readonly timeUpdated: pulumi.Output<string>;

  constructor(name: string, args: ApplicationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      makeProvider("oci:Application"),
      name,
      {
        connection: undefined,
        shape: undefined,
        config: undefined,
        networkSecurityGroupIds: undefined,
        syslogUrl: undefined,
        traceConfig: undefined,
        logging: undefined,
        imagePolicyConfig: undefined,
        freeformTags: undefined,
        definedTags: undefined,
        ...args,
        stackIdentity: stackIdentity(name),
        lifecycleState: undefined,
        timeCreated: undefined,
        timeUpdated: undefined,
      },
      withSecretOutputs(opts, ["config"]),
      "fnstack/oci",
      "Application",
    );
  }

  /** Reads an existing application by OCID into a read-only resource (no changes are made to it). */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): Application {
    return new Application(name, undefined as unknown as ApplicationArgs, { ...opts, id });
  }
}
