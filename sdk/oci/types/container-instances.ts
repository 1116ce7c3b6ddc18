/**
 * Wire types of the OCI Container Instances API (`/20210415`), field names exactly as JSON carries
 * them (reference oci-api.md §2.3, §2.4).
 */
import type { DefinedTags } from "./functions";

/** Lifecycle states of container instances and containers. */
export type ContainerInstanceLifecycleState =
  "CREATING" | "UPDATING" | "ACTIVE" | "INACTIVE" | "DELETING" | "DELETED" | "FAILED";

/** Restart policy of an instance's containers. */
export type ContainerRestartPolicy = "ALWAYS" | "NEVER" | "ON_FAILURE";

/** OCPUs and memory of an instance. */
export interface ContainerInstanceShapeConfig {
  readonly ocpus: number;
  /** GB. */
  readonly memoryInGBs?: number;
}

/** One VNIC of an instance at create time. */
export interface CreateContainerVnicDetails {
  readonly subnetId: string;
  readonly displayName?: string;
  readonly hostnameLabel?: string;
  readonly isPublicIpAssigned?: boolean;
  readonly skipSourceDestCheck?: boolean;
  readonly nsgIds?: readonly string[];
  readonly privateIp?: string;
  readonly freeformTags?: Readonly<Record<string, string>>;
  readonly definedTags?: DefinedTags;
}

/** An `EMPTYDIR` volume. */
export interface EmptyDirVolume {
  readonly volumeType: "EMPTYDIR";
  readonly name: string;
  readonly backingStore?: "EPHEMERAL_STORAGE" | "MEMORY";
}

/** One file of a `CONFIGFILE` volume. */
export interface ContainerConfigFile {
  readonly fileName: string;
  /** Base64 of the file contents. The API does not return it. */
  readonly data: string;
  readonly path?: string;
}

/** A `CONFIGFILE` volume. */
export interface ConfigFileVolume {
  readonly volumeType: "CONFIGFILE";
  readonly name: string;
  readonly configs?: readonly ContainerConfigFile[];
}

/** An `OCI_FSS_FILE_SYSTEM` volume. */
export interface FileSystemVolume {
  readonly volumeType: "OCI_FSS_FILE_SYSTEM";
  readonly name: string;
  readonly mountTarget: { readonly ociFssMountTargetType: "OCID"; readonly id: string };
  readonly export: { readonly ociFssExportType: "OCID"; readonly id: string };
  readonly security?: { readonly auth: "SYS"; readonly isEncryptedInTransit?: boolean };
  readonly mountCommand?: {
    readonly mountOptions?: readonly { readonly option: string; readonly value?: string }[];
  };
  readonly subnetId?: string;
}

/** A volume of an instance, by `volumeType`. */
export type ContainerVolume = EmptyDirVolume | ConfigFileVolume | FileSystemVolume;

/** Where a container mounts a volume. */
export interface ContainerVolumeMount {
  readonly mountPath: string;
  readonly volumeName: string;
  readonly subPath?: string;
  readonly isReadOnly?: boolean;
  readonly partition?: number;
}

/** Fields every health check has. */
interface HealthCheckCommon {
  readonly name?: string;
  /** Seconds. */
  readonly initialDelayInSeconds?: number;
  /** Seconds. */
  readonly intervalInSeconds?: number;
  readonly failureThreshold?: number;
  readonly successThreshold?: number;
  /** Seconds. */
  readonly timeoutInSeconds?: number;
  readonly failureAction?: "KILL" | "NONE";
}

/** An HTTP GET health check. */
export interface HttpHealthCheck extends HealthCheckCommon {
  readonly healthCheckType: "HTTP";
  readonly path: string;
  readonly port: number;
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
}

/** A TCP connect health check. */
export interface TcpHealthCheck extends HealthCheckCommon {
  readonly healthCheckType: "TCP";
  readonly port: number;
}

/** A container health check, by `healthCheckType`. */
export type ContainerHealthCheck = HttpHealthCheck | TcpHealthCheck;

/** Linux security context of one container. */
export interface ContainerSecurityContext {
  readonly securityContextType: "LINUX";
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly isNonRootUserCheckEnabled?: boolean;
  readonly isRootFileSystemReadonly?: boolean;
  readonly capabilities?: {
    readonly addCapabilities?: readonly string[];
    readonly dropCapabilities?: readonly string[];
  };
}

/** One container at create time. */
export interface CreateContainerDetails {
  readonly imageUrl: string;
  readonly displayName?: string;
  readonly command?: readonly string[];
  readonly arguments?: readonly string[];
  readonly workingDirectory?: string;
  readonly environmentVariables?: Readonly<Record<string, string>>;
  readonly volumeMounts?: readonly ContainerVolumeMount[];
  readonly isResourcePrincipalDisabled?: boolean;
  readonly resourceConfig?: { readonly vcpusLimit?: number; readonly memoryLimitInGBs?: number };
  readonly healthChecks?: readonly ContainerHealthCheck[];
  readonly securityContext?: ContainerSecurityContext;
  readonly freeformTags?: Readonly<Record<string, string>>;
  readonly definedTags?: DefinedTags;
}

/** Registry credentials for pulling images, by `secretType`. */
export type ImagePullSecret =
  | {
      readonly secretType: "BASIC";
      readonly registryEndpoint: string;
      /** Base64; not returned by the API. */
      readonly username: string;
      /** Base64; not returned by the API. */
      readonly password: string;
    }
  | { readonly secretType: "VAULT"; readonly registryEndpoint: string; readonly secretId: string };

/** DNS settings of an instance. */
export interface ContainerDnsConfig {
  readonly nameservers?: readonly string[];
  readonly searches?: readonly string[];
  readonly options?: readonly string[];
}

/** Linux security context of an instance. */
export interface ContainerInstanceSecurityContext {
  readonly securityContextType: "LINUX";
  readonly fsGroup?: number;
  readonly fsGroupChangePolicy?: "ALWAYS" | "ON_ROOT_MISMATCH";
}

/** Body of CreateContainerInstance. */
export interface CreateContainerInstanceDetails {
  readonly compartmentId: string;
  readonly availabilityDomain: string;
  readonly shape: string;
  readonly shapeConfig: ContainerInstanceShapeConfig;
  readonly containers: readonly CreateContainerDetails[];
  readonly vnics: readonly CreateContainerVnicDetails[];
  readonly displayName?: string;
  readonly faultDomain?: string;
  readonly volumes?: readonly ContainerVolume[];
  readonly dnsConfig?: ContainerDnsConfig;
  /** Seconds. */
  readonly gracefulShutdownTimeoutInSeconds?: number;
  readonly imagePullSecrets?: readonly ImagePullSecret[];
  readonly containerRestartPolicy?: ContainerRestartPolicy;
  readonly securityContext?: ContainerInstanceSecurityContext;
  readonly freeformTags?: Readonly<Record<string, string>>;
  readonly definedTags?: DefinedTags;
}

/** Body of UpdateContainerInstance and UpdateContainer. */
export interface UpdateDisplayNameAndTags {
  readonly displayName?: string;
  readonly freeformTags?: Readonly<Record<string, string>>;
  readonly definedTags?: DefinedTags;
}

/** A container instance as GetContainerInstance returns it. */
export interface ContainerInstance {
  readonly id: string;
  readonly displayName: string;
  readonly compartmentId: string;
  readonly availabilityDomain: string;
  readonly faultDomain?: string;
  readonly lifecycleState: ContainerInstanceLifecycleState;
  readonly lifecycleDetails?: string;
  readonly volumes?: readonly ContainerVolume[];
  readonly volumeCount?: number;
  readonly containers: readonly { readonly containerId: string; readonly displayName?: string }[];
  readonly containerCount?: number;
  readonly shape: string;
  readonly shapeConfig: ContainerInstanceShapeConfig & {
    readonly processorDescription?: string;
    readonly networkingBandwidthInGbps?: number;
  };
  readonly vnics: readonly { readonly vnicId?: string }[];
  readonly dnsConfig?: ContainerDnsConfig;
  readonly gracefulShutdownTimeoutInSeconds?: number;
  readonly imagePullSecrets?: readonly {
    readonly secretType: "BASIC" | "VAULT";
    readonly registryEndpoint: string;
    readonly secretId?: string;
  }[];
  readonly containerRestartPolicy?: ContainerRestartPolicy;
  readonly securityContext?: ContainerInstanceSecurityContext;
  readonly freeformTags?: Readonly<Record<string, string>>;
  readonly definedTags?: DefinedTags;
  readonly systemTags?: DefinedTags;
  readonly timeCreated?: string;
  readonly timeUpdated?: string;
}

/** An element of ListContainerInstances. */
export interface ContainerInstanceSummary {
  readonly id: string;
  readonly displayName: string;
  readonly compartmentId: string;
  readonly availabilityDomain: string;
  readonly lifecycleState: ContainerInstanceLifecycleState;
  readonly shape?: string;
  readonly containerCount?: number;
  readonly timeCreated?: string;
  readonly [field: string]: unknown;
}

/** A container as GetContainer returns it. */
export interface Container extends Omit<CreateContainerDetails, "healthChecks"> {
  readonly id: string;
  readonly containerInstanceId: string;
  readonly compartmentId?: string;
  readonly availabilityDomain?: string;
  readonly lifecycleState: ContainerInstanceLifecycleState;
  readonly lifecycleDetails?: string;
  readonly exitCode?: number;
  readonly timeTerminated?: string;
  readonly containerRestartAttemptCount?: number;
  readonly healthChecks?: readonly (ContainerHealthCheck & {
    readonly status?: string;
    readonly statusDetails?: string;
  })[];
  readonly timeCreated?: string;
  readonly timeUpdated?: string;
}

/** An element of ListContainers. */
export interface ContainerSummary {
  readonly id: string;
  readonly displayName?: string;
  readonly containerInstanceId: string;
  readonly lifecycleState: ContainerInstanceLifecycleState;
  readonly imageUrl?: string;
  readonly [field: string]: unknown;
}

/** An element of ListContainerInstanceShapes. */
export interface ContainerInstanceShape {
  readonly name: string;
  readonly ocpuOptions?: { readonly min?: number; readonly max?: number; readonly [field: string]: unknown };
  readonly memoryOptions?: { readonly [field: string]: unknown };
  readonly [field: string]: unknown;
}
