import * as pulumi from "@pulumi/pulumi";
import type { FunctionGraphConnectionArgs, FunctionGraphConnectionRecord } from "./connection";
import type { TimeoutsArgs } from "../framework/timeouts-args";
import { stackIdentity } from "../identity";
import { makeProvider } from "../stub";

/** VPC access of a function. */
export interface FunctionVpcArgs {
  vpcId: pulumi.Input<string>;
  subnetId: pulumi.Input<string>;
  vpcName?: pulumi.Input<string>;
  subnetName?: pulumi.Input<string>;
  cidr?: pulumi.Input<string>;
  gateway?: pulumi.Input<string>;
  securityGroups?: pulumi.Input<pulumi.Input<string>[]>;
}

/** File systems mounted into the function. */
export interface FunctionMountConfigArgs {
  mountUser: pulumi.Input<{ userId: pulumi.Input<number>; userGroupId: pulumi.Input<number> }>;
  funcMounts: pulumi.Input<
    pulumi.Input<{
      /** `sfs`, `sfsTurbo` or `ecs`. */
      mountType: pulumi.Input<string>;
      mountResource: pulumi.Input<string>;
      mountSharePath?: pulumi.Input<string>;
      /** Absolute path inside the function. */
      localMountPath: pulumi.Input<string>;
    }>[]
  >;
}

/** A custom container image (code type `Custom-Image-Swr`; the handler becomes `-`). */
export interface FunctionCustomImageArgs {
  image: pulumi.Input<string>;
  enabled?: pulumi.Input<boolean>;
  command?: pulumi.Input<string>;
  args?: pulumi.Input<string>;
  workingDir?: pulumi.Input<string>;
  uid?: pulumi.Input<string>;
  gid?: pulumi.Input<string>;
}

/** Inputs of a {@link Function}. Exactly one code source (or `customImage`) is required. */
export interface FunctionArgs {
  /** Function name: 1–60 letters, digits, `-`, `_`; starts with a letter. Changing it replaces the function. */
  name: pulumi.Input<string>;
  /** Package (application) the function belongs to. Default `default`. Replaces on change. */
  package?: pulumi.Input<string>;
  /** Runtime, e.g. `Python3.9`, `Node.js18.15`, `Java17`, `Custom`. Replaces on change. */
  runtime: pulumi.Input<string>;
  /** Entry point `<file>.<function>`; `-` (the default) for custom images. */
  handler?: pulumi.Input<string>;
  /** Memory in MB: 128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096 (8192, 10240). */
  memorySize: pulumi.Input<number>;
  /** Timeout in seconds, 3–259200. */
  timeout: pulumi.Input<number>;
  /** `inline`, `zip`, `jar`, `obs` or `Custom-Image-Swr`; derived from the code source when omitted. */
  codeType?: pulumi.Input<string>;
  /** Source code as text (code type `inline`, at most 10 KB). */
  inlineCode?: pulumi.Input<string>;
  /** A zip (or jar) package as base64. */
  codeBase64?: pulumi.Input<string>;
  /** Path of a local zip (or jar) file, read at deploy time; its bytes are hashed to detect changes. */
  codePath?: pulumi.Input<string>;
  /** A `pulumi.asset.FileAsset` (zip/jar) or `StringAsset`. */
  codeAsset?: pulumi.Input<pulumi.asset.Asset>;
  /** File name of the package (default: the file's own name, or `index.zip`). */
  codeFilename?: pulumi.Input<string>;
  /** OBS URL of the package (code type `obs`). */
  codeUrl?: pulumi.Input<string>;
  /**
   * Identity of the OBS object's content, e.g. its etag or version id. OBS code is re-deployed when this
   * (or `codeUrl`) changes: the service's digest is never used to detect changes.
   */
  codeVersion?: pulumi.Input<string>;
  /** Custom container image. */
  customImage?: pulumi.Input<FunctionCustomImageArgs>;
  /** Dependency version ids (`DependencyVersion.versionId`). An empty list removes all dependencies. */
  dependVersionList?: pulumi.Input<pulumi.Input<string>[]>;
  /** Environment variables (≤ 20 in all, ≤ 4 KB encoded). Stored as a secret output. */
  userData?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Encrypted environment variables; the service never returns their values. Secret output. */
  encryptedUserData?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Agency (IAM delegation) used for configuration, e.g. VPC access. */
  xrole?: pulumi.Input<string>;
  /** Agency the function's code runs with. */
  appXrole?: pulumi.Input<string>;
  /** At most 512 characters. */
  description?: pulumi.Input<string>;
  /** VPC access. */
  funcVpc?: pulumi.Input<FunctionVpcArgs>;
  /** Mounted file systems. */
  mountConfig?: pulumi.Input<FunctionMountConfigArgs>;
  /** Initializer entry point. */
  initializerHandler?: pulumi.Input<string>;
  /** Initializer timeout in seconds, 1–300. */
  initializerTimeout?: pulumi.Input<number>;
  /** Pre-stop hook entry point. */
  preStopHandler?: pulumi.Input<string>;
  /** Pre-stop timeout in seconds, 1–90. */
  preStopTimeout?: pulumi.Input<number>;
  /** FunctionGraph generation, `v1` or `v2`. Replaces on change (PUT config cannot change it); read back. */
  type?: pulumi.Input<string>;
  /**
   * LTS log destination. The service reports only the group and stream ids (`log_group_id`,
   * `log_stream_id`); the names are kept from the inputs. Removing it keeps the current log config.
   */
  logConfig?: pulumi.Input<{
    groupId?: pulumi.Input<string>;
    groupName?: pulumi.Input<string>;
    streamId?: pulumi.Input<string>;
    streamName?: pulumi.Input<string>;
  }>;
  /** Network restrictions. */
  networkController?: pulumi.Input<{
    disablePublicNetwork?: pulumi.Input<boolean>;
    triggerAccessVpcs?: pulumi.Input<
      pulumi.Input<{ vpcId?: pulumi.Input<string>; vpcName?: pulumi.Input<string> }>[]
    >;
  }>;
  /** Enterprise project. Updates in place (PUT config); removing it keeps the function where it is. */
  enterpriseProjectId?: pulumi.Input<string>;
  isStatefulFunction?: pulumi.Input<boolean>;
  enableDynamicMemory?: pulumi.Input<boolean>;
  enableAuthInHeader?: pulumi.Input<boolean>;
  enableLtsLog?: pulumi.Input<boolean>;
  ltsCustomTag?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  domainNames?: pulumi.Input<string>;
  /** Ephemeral disk in MB: 512 or 10240. */
  ephemeralStorage?: pulumi.Input<number>;
  gpuMemory?: pulumi.Input<number>;
  gpuType?: pulumi.Input<string>;
  /**
   * Deprecated name of {@link maxInstanceNum}: the service holds one value, `strategy_config.concurrency`
   * (both Terraform providers read `max_instance_num` from it). Giving both with different values fails.
   */
  concurrency?: pulumi.Input<number>;
  /** Concurrent requests per instance (v2), 1..1000. */
  concurrentNum?: pulumi.Input<number>;
  /**
   * Maximum number of instances, -1 (unlimited), 0 (disables the function) or 1..1000: the service's
   * `strategy_config.concurrency`, written with the config or `config-max-instance`. Always read back.
   */
  maxInstanceNum?: pulumi.Input<number>;
  /** Restore hook entry point (snapshot-started functions). */
  restoreHookHandler?: pulumi.Input<string>;
  /** Restore hook timeout in seconds, 1–300. */
  restoreHookTimeout?: pulumi.Input<number>;
  /** Heartbeat entry point. */
  heartbeatHandler?: pulumi.Input<string>;
  /** Class isolation of Java functions. */
  enableClassIsolation?: pulumi.Input<boolean>;
  /** VPC CIDR blocks the function code uses, `;`-separated (checked for conflicts by the service). */
  peeringCidr?: pulumi.Input<string>;
  /** KMS key encrypting the environment variables. */
  userDataEncryptKmsKeyId?: pulumi.Input<string>;
  /** KMS key encrypting the code package. Replaces on change (create-only, as TF-HW's ForceNew). */
  codeEncryptKmsKeyId?: pulumi.Input<string>;
  /** Reserved (warm) instances of `latest`. */
  reservedInstanceCount?: pulumi.Input<number>;
  /** Idle mode of the reserved instances. */
  reservedInstanceIdleMode?: pulumi.Input<boolean>;
  /** Tags. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** URN of an existing function to adopt instead of creating one; it is then converged on these inputs. */
  adoptId?: pulumi.Input<string>;
  /**
   * Where this resource lives: region, project and account (clouds.yaml cloud entry), overriding the stack configuration for it alone.
   * A change of region or account replaces the resource. Names only; credentials are read at each call.
   */
  connection?: pulumi.Input<FunctionGraphConnectionArgs>;
  /** Deadlines (a Function's writes do not wait; accepted like every resource's, never a change). */
  timeouts?: pulumi.Input<TimeoutsArgs>;
}

/**
 * A FunctionGraph function. Code changes are detected from a hash of the code you supply; configuration
 * updates read the current configuration and send it back complete, so settings you do not manage keep
 * their values.
 */
export class Function extends pulumi.dynamic.Resource {
  /** Where the resource was created: region and account identity (never a secret). */
  declare readonly connection: pulumi.Output<FunctionGraphConnectionRecord>;
  /** `<project>/<stack>/<name>`: how fnstack finds this resource again after a lost answer or a crash. */
  declare readonly stackIdentity: pulumi.Output<string>;
  /** Function URN without a version (the resource id). */
  declare readonly funcUrn: pulumi.Output<string>;
  declare readonly funcId: pulumi.Output<string | undefined>;
  declare readonly name: pulumi.Output<string>;
  declare readonly package: pulumi.Output<string>;
  declare readonly runtime: pulumi.Output<string>;
  declare readonly handler: pulumi.Output<string>;
  declare readonly memorySize: pulumi.Output<number>;
  declare readonly timeout: pulumi.Output<number>;
  declare readonly codeType: pulumi.Output<string>;
  /** Hash of the code you supplied (`sha256:`, `obs:`, `image:`; `drift:` after an out-of-band change). */
  declare readonly codeHash: pulumi.Output<string>;
  /** SHA-512 of the deployed package, as the service computed it. */
  declare readonly digest: pulumi.Output<string | undefined>;
  /** Deployed package size in bytes. */
  declare readonly codeSize: pulumi.Output<number | undefined>;
  /** Always `latest` for the function itself. */
  declare readonly version: pulumi.Output<string>;
  declare readonly lastModified: pulumi.Output<string | undefined>;
  declare readonly cpu: pulumi.Output<number | undefined>;
  declare readonly domainId: pulumi.Output<string | undefined>;
  declare readonly namespace: pulumi.Output<string | undefined>;
  declare readonly projectName: pulumi.Output<string | undefined>;
  declare readonly dependVersionList: pulumi.Output<string[] | undefined>;
  declare readonly userData: pulumi.Output<Record<string, string> | undefined>;
  declare readonly encryptedUserData: pulumi.Output<Record<string, string> | undefined>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly concurrency: pulumi.Output<number | undefined>;
  declare readonly concurrentNum: pulumi.Output<number | undefined>;
  /** Maximum number of instances (`strategy_config.concurrency`); always read back. */
  declare readonly maxInstanceNum: pulumi.Output<number>;
  /** FunctionGraph version (`v1`/`v2`), read back when set. */
  declare readonly type: pulumi.Output<string | undefined>;
  declare readonly enterpriseProjectId: pulumi.Output<string | undefined>;
  /** LTS destination: ids as the service reports them, names kept from the inputs. */
  declare readonly logConfig: pulumi.Output<Record<string, string> | undefined>;
  declare readonly tags: pulumi.Output<Record<string, string> | undefined>;

  constructor(name: string, args: FunctionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      makeProvider("functiongraph:Function"),
      name,
      {
        connection: undefined,
        package: undefined,
        handler: undefined,
        codeType: undefined,
        dependVersionList: undefined,
        userData: undefined,
        encryptedUserData: undefined,
        description: undefined,
        concurrency: undefined,
        concurrentNum: undefined,
        maxInstanceNum: undefined,
        type: undefined,
        enterpriseProjectId: undefined,
        logConfig: undefined,
        tags: undefined,
        ...args,
        stackIdentity: stackIdentity(name),
        funcUrn: undefined,
        funcId: undefined,
        codeHash: undefined,
        digest: undefined,
        codeSize: undefined,
        version: undefined,
        lastModified: undefined,
        cpu: undefined,
        domainId: undefined,
        namespace: undefined,
        projectName: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["userData", "encryptedUserData"] }),
      "fnstack/functiongraph",
      "Function",
    );
  }

  /** Looks up an existing function by URN (read-only; use `adoptId` to manage it). */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Function {
    return new Function(name, {} as FunctionArgs, { ...opts, id });
  }
}
