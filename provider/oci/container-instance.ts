import * as pulumi from "@pulumi/pulumi";
import type {
  ContainerDnsConfig,
  ContainerHealthCheck,
  ContainerInstanceSecurityContext,
  ContainerSecurityContext,
  ContainerVolume,
  ContainerVolumeMount,
} from "../../sdk/oci/types/container-instances";
import type { OciConnectionArgs, OciConnectionRecord } from "./connection";
import { stackIdentity } from "../identity";
import { makeProvider } from "../stub";
import {
  type DefinedTagsArgs,
  type FreeformTagsArgs,
  type TimeoutsArgs,
  withSecretOutputs,
} from "./shared-args";

/** One container of a {@link ContainerInstance}. Only `displayName` and tags change in place. */
export interface ContainerArgs {
  /** Image, e.g. `docker.io/library/nginx:1.27` (no registry means docker.io, no tag means latest). */
  imageUrl: pulumi.Input<string>;
  displayName?: pulumi.Input<string>;
  /** Overrides the image's ENTRYPOINT. */
  command?: pulumi.Input<pulumi.Input<string>[]>;
  arguments?: pulumi.Input<pulumi.Input<string>[]>;
  workingDirectory?: pulumi.Input<string>;
  /** ≤ 64 KB in total. */
  environmentVariables?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  volumeMounts?: pulumi.Input<ContainerVolumeMount[]>;
  isResourcePrincipalDisabled?: pulumi.Input<boolean>;
  resourceConfig?: pulumi.Input<{
    vcpusLimit?: pulumi.Input<number>;
    memoryLimitInGBs?: pulumi.Input<number>;
  }>;
  healthChecks?: pulumi.Input<ContainerHealthCheck[]>;
  securityContext?: pulumi.Input<ContainerSecurityContext>;
  freeformTags?: FreeformTagsArgs;
  definedTags?: DefinedTagsArgs;
}

/**
 * The VNIC of a {@link ContainerInstance} (exactly one). `displayName`, `hostnameLabel`, `nsgIds`,
 * `skipSourceDestCheck` and tags change in place (Core UpdateVnic); `subnetId`, `privateIp` and
 * `isPublicIpAssigned` replace the instance.
 */
export interface ContainerVnicArgs {
  subnetId: pulumi.Input<string>;
  displayName?: pulumi.Input<string>;
  /** DNS label, unique in the subnet: pinning it makes a replacement delete the old instance first. */
  hostnameLabel?: pulumi.Input<string>;
  isPublicIpAssigned?: pulumi.Input<boolean>;
  skipSourceDestCheck?: pulumi.Input<boolean>;
  /** Order does not matter; leaving them out means none. */
  nsgIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** An address of the subnet; pinning it makes a replacement delete the old instance first. */
  privateIp?: pulumi.Input<string>;
  freeformTags?: FreeformTagsArgs;
  definedTags?: DefinedTagsArgs;
}

/** A VNIC as the Core VNIC API reports it. */
export type ContainerVnicOutput = ContainerVnicArgs & {
  /** The VNIC's OCID. */
  vnicId?: string;
  /** The private IP address it was given (or pinned). */
  privateIp?: string;
  hostnameLabel?: string;
  /** Its public IP, when `isPublicIpAssigned`. */
  publicIp?: string;
  macAddress?: string;
};

/** Registry credentials. BASIC `username`/`password` are base64 and secret outputs. */
export type ImagePullSecretArgs =
  | {
      secretType: "BASIC";
      registryEndpoint: pulumi.Input<string>;
      username: pulumi.Input<string>;
      password: pulumi.Input<string>;
    }
  | { secretType: "VAULT"; registryEndpoint: pulumi.Input<string>; secretId: pulumi.Input<string> };

/** Arguments of a {@link ContainerInstance}. */
export interface ContainerInstanceArgs {
  /** Compartment OCID; changing it moves the instance in place. */
  compartmentId: pulumi.Input<string>;
  /** e.g. `Uocm:PHX-AD-1` (compared case-insensitively). */
  availabilityDomain: pulumi.Input<string>;
  /** e.g. `CI.Standard.E4.Flex`. */
  shape: pulumi.Input<string>;
  shapeConfig: pulumi.Input<{ ocpus: pulumi.Input<number>; memoryInGBs?: pulumi.Input<number> }>;
  /** 1–10 containers; compared by position. */
  containers: pulumi.Input<pulumi.Input<ContainerArgs>[]>;
  /** Exactly one VNIC. */
  vnics: pulumi.Input<pulumi.Input<ContainerVnicArgs>[]>;
  /** Changes in place. */
  displayName?: pulumi.Input<string>;
  faultDomain?: pulumi.Input<string>;
  /** CONFIGFILE `data` (base64) is kept from inputs (the API does not return it) and is a secret output. */
  volumes?: pulumi.Input<ContainerVolume[]>;
  dnsConfig?: pulumi.Input<ContainerDnsConfig>;
  /** 0–300 seconds. */
  gracefulShutdownTimeoutInSeconds?: pulumi.Input<number>;
  imagePullSecrets?: pulumi.Input<pulumi.Input<ImagePullSecretArgs>[]>;
  containerRestartPolicy?: pulumi.Input<"ALWAYS" | "NEVER" | "ON_FAILURE">;
  securityContext?: pulumi.Input<ContainerInstanceSecurityContext>;
  /** Change in place; leaving them out means none. */
  freeformTags?: FreeformTagsArgs;
  definedTags?: DefinedTagsArgs;
  /** Desired state: `ACTIVE` starts a stopped instance, `INACTIVE` stops it. Default: whatever it is. */
  state?: pulumi.Input<"ACTIVE" | "INACTIVE">;
  /** Deadlines of create/update/delete, work requests included (default 20 min each). */
  timeouts?: pulumi.Input<TimeoutsArgs>;
  /** Adopt this existing container instance (OCID) instead of creating one. */
  adoptId?: pulumi.Input<string>;
  /**
   * Where this resource lives: region and account (config-file profile), overriding the stack configuration for it alone.
   * A change of region or account replaces the resource. Names only; credentials are read at each call.
   */
  connection?: pulumi.Input<OciConnectionArgs>;
}

/**
 * An OCI container instance.
 *
 * ```ts
 * const web = new oci.ContainerInstance("web", {
 *   compartmentId: "ocid1.compartment.oc1..aaaa",
 *   availabilityDomain: "Uocm:PHX-AD-1",
 *   shape: "CI.Standard.E4.Flex",
 *   shapeConfig: { ocpus: 1, memoryInGBs: 4 },
 *   vnics: [{ subnetId: "ocid1.subnet.oc1.phx.aaaa" }],
 *   containers: [{ imageUrl: "docker.io/library/nginx:1.27", displayName: "nginx" }],
 * });
 * ```
 */
export class ContainerInstance extends pulumi.dynamic.Resource {
  /** Where the resource was created: region and account identity (never a secret). */
  declare readonly connection: pulumi.Output<OciConnectionRecord>;
  /** `<project>/<stack>/<name>`: how fnstack finds this resource again after a lost answer or a crash. */
  declare readonly stackIdentity: pulumi.Output<string>;
  declare readonly compartmentId: pulumi.Output<string>;
  declare readonly availabilityDomain: pulumi.Output<string>;
  declare readonly faultDomain: pulumi.Output<string>;
  declare readonly shape: pulumi.Output<string>;
  declare readonly shapeConfig: pulumi.Output<{
    ocpus: number;
    memoryInGBs: number;
    processorDescription?: string;
    networkingBandwidthInGbps?: number;
  }>;
  declare readonly displayName: pulumi.Output<string>;
  /** Each container's inputs as the cloud holds them, plus `containerId` and `lifecycleState`. */
  declare readonly containers: pulumi.Output<
    (ContainerArgs & { containerId: string; lifecycleState: string })[]
  >;
  /** Each VNIC as the Core VNIC API reports it: `vnicId`, `privateIp`, `hostnameLabel`, NSGs, tags. */
  declare readonly vnics: pulumi.Output<ContainerVnicOutput[]>;
  declare readonly volumes: pulumi.Output<ContainerVolume[] | undefined>;
  declare readonly imagePullSecrets: pulumi.Output<unknown[] | undefined>;
  declare readonly freeformTags: pulumi.Output<Record<string, string>>;
  /** `ACTIVE` or `INACTIVE` as last read. */
  declare readonly state: pulumi.Output<string>;
  declare readonly lifecycleState: pulumi.Output<string>;
  declare readonly timeCreated: pulumi.Output<string>;
  declare readonly timeUpdated: pulumi.Output<string>;

  constructor(name: string, args: ContainerInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      makeProvider("oci:ContainerInstance"),
      name,
      {
        connection: undefined,
        faultDomain: undefined,
        displayName: undefined,
        volumes: undefined,
        imagePullSecrets: undefined,
        freeformTags: undefined,
        state: undefined,
        ...args,
        stackIdentity: stackIdentity(name),
        lifecycleState: undefined,
        timeCreated: undefined,
        timeUpdated: undefined,
      },
      withSecretOutputs(opts, ["imagePullSecrets", "volumes"]),
      "fnstack/oci",
      "ContainerInstance",
    );
  }

  /** Reads an existing container instance by OCID into a read-only resource. */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    opts?: pulumi.CustomResourceOptions,
  ): ContainerInstance {
    return new ContainerInstance(name, undefined as unknown as ContainerInstanceArgs, { ...opts, id });
  }
}
