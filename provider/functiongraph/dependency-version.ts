import * as pulumi from "@pulumi/pulumi";
import type { FunctionGraphConnectionArgs, FunctionGraphConnectionRecord } from "./connection";
import { stackIdentity } from "../identity";
import { makeProvider } from "../stub";

/** Inputs of a {@link DependencyVersion}. Exactly one of `link`, `fileBase64`, `filePath`. Every change replaces. */
export interface DependencyVersionArgs {
  /** Dependency name (≤ 96 letters, digits, `_`, `.`, `-`). A new version is added under an existing name. */
  name: pulumi.Input<string>;
  /** Runtime, e.g. `Python3.9`. */
  runtime: pulumi.Input<string>;
  /** At most 512 characters. */
  description?: pulumi.Input<string>;
  /** OBS URL of the zip. */
  link?: pulumi.Input<string>;
  /** The zip as base64 (≤ 40 MB decoded). */
  fileBase64?: pulumi.Input<string>;
  /** Path of a local zip, read and hashed at deploy time. */
  filePath?: pulumi.Input<string>;
  /** `<dependencyId>/<version>` of an existing version to adopt. */
  adoptId?: pulumi.Input<string>;
  /**
   * Where this resource lives: region, project and account (clouds.yaml cloud entry), overriding the stack configuration for it alone.
   * A change of region or account replaces the resource. Names only; credentials are read at each call.
   */
  connection?: pulumi.Input<FunctionGraphConnectionArgs>;
}

/** One immutable version of a dependency package. Functions reference it by `versionId`. */
export class DependencyVersion extends pulumi.dynamic.Resource {
  /** Where the resource was created: region and account identity (never a secret). */
  declare readonly connection: pulumi.Output<FunctionGraphConnectionRecord>;
  /** `<project>/<stack>/<name>`: how fnstack finds this resource again after a lost answer or a crash. */
  declare readonly stackIdentity: pulumi.Output<string>;
  /** The dependency version id: put this in `Function.dependVersionList`. */
  declare readonly versionId: pulumi.Output<string>;
  /** The dependency (all versions of `name`). */
  declare readonly dependencyId: pulumi.Output<string>;
  /** Version number (from 1). */
  declare readonly version: pulumi.Output<number>;
  declare readonly name: pulumi.Output<string>;
  declare readonly runtime: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  /** Where the service stored the package. */
  declare readonly storedLink: pulumi.Output<string | undefined>;
  declare readonly etag: pulumi.Output<string | undefined>;
  declare readonly size: pulumi.Output<number | undefined>;
  declare readonly owner: pulumi.Output<string | undefined>;
  declare readonly fileName: pulumi.Output<string | undefined>;
  /** Hash of the package you supplied (or of the link). */
  declare readonly fileHash: pulumi.Output<string>;

  constructor(name: string, args: DependencyVersionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      makeProvider("functiongraph:DependencyVersion"),
      name,
      {
        connection: undefined,
        description: undefined,
        ...args,
        stackIdentity: stackIdentity(name),
        versionId: undefined,
        dependencyId: undefined,
        version: undefined,
        storedLink: undefined,
        etag: undefined,
        size: undefined,
        owner: undefined,
        fileName: undefined,
        fileHash: undefined,
      },
      opts,
      "fnstack/functiongraph",
      "DependencyVersion",
    );
  }

  /** Looks up an existing dependency version by `<dependencyId>/<version>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): DependencyVersion {
    return new DependencyVersion(name, {} as DependencyVersionArgs, { ...opts, id });
  }
}
