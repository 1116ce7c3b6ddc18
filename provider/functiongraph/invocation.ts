import * as pulumi from "@pulumi/pulumi";
import type { FunctionGraphConnectionArgs, FunctionGraphConnectionRecord } from "./connection";
import { stackIdentity } from "../identity";
import { makeProvider } from "../stub";

/** Inputs of an {@link Invocation}. Any change invokes the function again. */
export interface InvocationArgs {
  /** Function URN, optionally `:<version>` or `:!<alias>`. */
  funcUrn: pulumi.Input<string>;
  /** The event (a JSON object). Default `{}`. */
  event?: pulumi.Input<Record<string, unknown>>;
  /** `sync` (default: wait for the result) or `async` (queue it; only a request id comes back). */
  mode?: pulumi.Input<"sync" | "async">;
  /** Return the last 4 KB of the log (sync only). */
  tailLog?: pulumi.Input<boolean>;
  /** Record a failed execution instead of failing the deployment. */
  allowFailure?: pulumi.Input<boolean>;
  /** Arbitrary values whose change re-invokes (e.g. a Function's `digest`). */
  triggers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Where this resource lives: region, project and account (clouds.yaml cloud entry), overriding the stack configuration for it alone.
   * A change of region or account replaces the resource. Names only; credentials are read at each call.
   */
  connection?: pulumi.Input<FunctionGraphConnectionArgs>;
}

/** Invokes a function on create and whenever the inputs change; the result is an output. */
export class Invocation extends pulumi.dynamic.Resource {
  /** Where the resource was created: region and account identity (never a secret). */
  declare readonly connection: pulumi.Output<FunctionGraphConnectionRecord>;
  /** `<project>/<stack>/<name>`: how fnstack finds this resource again after a lost answer or a crash. */
  declare readonly stackIdentity: pulumi.Output<string>;
  declare readonly requestId: pulumi.Output<string | undefined>;
  /** The function's result as returned (text). */
  declare readonly result: pulumi.Output<string | undefined>;
  /** The result parsed as JSON, when it is JSON. */
  declare readonly resultJson: pulumi.Output<unknown>;
  /** Execution status as the service reports it (200, or 0 in some regions, on success). */
  declare readonly status: pulumi.Output<number | undefined>;
  declare readonly errorCode: pulumi.Output<string | undefined>;
  declare readonly log: pulumi.Output<string | undefined>;
  declare readonly invokedAt: pulumi.Output<string>;

  constructor(name: string, args: InvocationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      makeProvider("functiongraph:Invocation"),
      name,
      {
        connection: undefined,
        ...args,
        stackIdentity: stackIdentity(name),
        requestId: undefined,
        result: undefined,
        resultJson: undefined,
        status: undefined,
        errorCode: undefined,
        log: undefined,
        invokedAt: undefined,
      },
      opts,
      "fnstack/functiongraph",
      "Invocation",
    );
  }

  /** Looks up a recorded invocation by id (its request id). */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Invocation {
    return new Invocation(name, {} as InvocationArgs, { ...opts, id });
  }
}
