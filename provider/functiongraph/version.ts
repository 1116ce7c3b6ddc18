import * as pulumi from "@pulumi/pulumi";
import type { FunctionGraphConnectionArgs, FunctionGraphConnectionRecord } from "./connection";
import { stackIdentity } from "../identity";
import { makeProvider } from "../stub";

/** Inputs of a {@link Version}. Every change replaces the version. */
export interface VersionArgs {
  /** URN of the function to publish. */
  funcUrn: pulumi.Input<string>;
  /** Version name (1–42 letters, digits, `_`, `-`, `.`); default chosen by the service (`yyyymmdd-HHMMSS`). */
  version?: pulumi.Input<string>;
  /** At most 512 characters. */
  description?: pulumi.Input<string>;
  /** SHA-512 digest of the code to pin (the Function's `digest`); default the current code. */
  digest?: pulumi.Input<string>;
  /** Version URN (`<funcUrn>:<version>`) of an existing version to adopt. */
  adoptId?: pulumi.Input<string>;
  /**
   * Where this resource lives: region, project and account (clouds.yaml cloud entry), overriding the stack configuration for it alone.
   * A change of region or account replaces the resource. Names only; credentials are read at each call.
   */
  connection?: pulumi.Input<FunctionGraphConnectionArgs>;
}

/**
 * A published, immutable function version. When nothing changed since the last publish (`FSS.1016`)
 * and no name was given, the existing version holding the same code is reused (and left in place on
 * delete).
 */
export class Version extends pulumi.dynamic.Resource {
  /** Where the resource was created: region and account identity (never a secret). */
  declare readonly connection: pulumi.Output<FunctionGraphConnectionRecord>;
  /** `<project>/<stack>/<name>`: how fnstack finds this resource again after a lost answer or a crash. */
  declare readonly stackIdentity: pulumi.Output<string>;
  declare readonly funcUrn: pulumi.Output<string>;
  declare readonly version: pulumi.Output<string>;
  /** `<funcUrn>:<version>` (the resource id); invoke or bind triggers with it. */
  declare readonly versionUrn: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly digest: pulumi.Output<string | undefined>;
  declare readonly codeSize: pulumi.Output<number | undefined>;
  declare readonly lastModified: pulumi.Output<string | undefined>;
  /** False when an existing version was reused: delete then leaves it alone. */
  declare readonly deleteOnDestroy: pulumi.Output<boolean>;

  constructor(name: string, args: VersionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      makeProvider("functiongraph:Version"),
      name,
      {
        connection: undefined,
        version: undefined,
        description: undefined,
        digest: undefined,
        ...args,
        stackIdentity: stackIdentity(name),
        versionUrn: undefined,
        codeSize: undefined,
        lastModified: undefined,
        deleteOnDestroy: undefined,
      },
      opts,
      "fnstack/functiongraph",
      "Version",
    );
  }

  /** Looks up an existing version by its URN. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Version {
    return new Version(name, {} as VersionArgs, { ...opts, id });
  }
}
