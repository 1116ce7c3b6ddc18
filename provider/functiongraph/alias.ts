import * as pulumi from "@pulumi/pulumi";
import type { FunctionGraphConnectionArgs, FunctionGraphConnectionRecord } from "./connection";
import { stackIdentity } from "../identity";
import { makeProvider } from "../stub";

/** One routing rule of an additional-version strategy. */
export interface AliasStrategyRuleArgs {
  /** `header` or `cookie`. */
  ruleType: pulumi.Input<string>;
  param: pulumi.Input<string>;
  /** `=` or `in` (comma-separated values). */
  op: pulumi.Input<string>;
  value: pulumi.Input<string>;
}

/** Inputs of an {@link Alias}. */
export interface AliasArgs {
  /** URN of the function. Replaces on change. */
  funcUrn: pulumi.Input<string>;
  /** Alias name (≤ 64 letters, digits, `-`, `_`). Replaces on change. */
  name: pulumi.Input<string>;
  /** Version the alias points to (`latest` or a published name). */
  version: pulumi.Input<string>;
  /** At most 512 characters. */
  description?: pulumi.Input<string>;
  /** Additional version → percent of traffic (0–100, sum ≤ 100); must differ from `version`. */
  additionalVersionWeights?: pulumi.Input<Record<string, pulumi.Input<number>>>;
  /** Additional version → rule-based routing. */
  additionalVersionStrategy?: pulumi.Input<
    Record<
      string,
      pulumi.Input<{
        combineType: pulumi.Input<string>;
        rules: pulumi.Input<pulumi.Input<AliasStrategyRuleArgs>[]>;
      }>
    >
  >;
  /** `<funcUrn>/<name>` of an existing alias to adopt. */
  adoptId?: pulumi.Input<string>;
  /**
   * Where this resource lives: region, project and account (clouds.yaml cloud entry), overriding the stack configuration for it alone.
   * A change of region or account replaces the resource. Names only; credentials are read at each call.
   */
  connection?: pulumi.Input<FunctionGraphConnectionArgs>;
}

/** A function alias; version, description, weights and strategy update in place. */
export class Alias extends pulumi.dynamic.Resource {
  /** Where the resource was created: region and account identity (never a secret). */
  declare readonly connection: pulumi.Output<FunctionGraphConnectionRecord>;
  /** `<project>/<stack>/<name>`: how fnstack finds this resource again after a lost answer or a crash. */
  declare readonly stackIdentity: pulumi.Output<string>;
  declare readonly funcUrn: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly version: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly additionalVersionWeights: pulumi.Output<Record<string, number> | undefined>;
  declare readonly additionalVersionStrategy: pulumi.Output<Record<string, unknown> | undefined>;
  /** `<funcUrn>:!<name>`: invoke or bind triggers with it. */
  declare readonly aliasUrn: pulumi.Output<string>;
  declare readonly lastModified: pulumi.Output<string | undefined>;

  constructor(name: string, args: AliasArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      makeProvider("functiongraph:Alias"),
      name,
      {
        connection: undefined,
        description: undefined,
        additionalVersionWeights: undefined,
        additionalVersionStrategy: undefined,
        ...args,
        stackIdentity: stackIdentity(name),
        aliasUrn: undefined,
        lastModified: undefined,
      },
      opts,
      "fnstack/functiongraph",
      "Alias",
    );
  }

  /** Looks up an existing alias by `<funcUrn>/<name>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Alias {
    return new Alias(name, {} as AliasArgs, { ...opts, id });
  }
}
