import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { before, describe, it } from "mocha";
import { functiongraph, oci } from "../../index";

// Program-side wiring (setMocks): every `declare`d output of every resource class is an Output even when
// the program leaves the matching optional input out. Pulumi creates an output property only for a key
// present in the props the class registers, so an optional input that is also an output (a container
// instance's `state`, a function's `imageDigest`) must be registered as `undefined` when absent; without
// it `web.state` is plain `undefined` and a stack output of it silently disappears.

type Constructor = new (name: string, args: never) => pulumi.CustomResource;

const classes: readonly { source: string; make: Constructor }[] = [
  { source: "provider/oci/application.ts", make: oci.Application as unknown as Constructor },
  { source: "provider/oci/function.ts", make: oci.Function as unknown as Constructor },
  { source: "provider/oci/invoke-function.ts", make: oci.InvokeFunction as unknown as Constructor },
  { source: "provider/oci/container-instance.ts", make: oci.ContainerInstance as unknown as Constructor },
  { source: "provider/functiongraph/function.ts", make: functiongraph.Function as unknown as Constructor },
  { source: "provider/functiongraph/version.ts", make: functiongraph.Version as unknown as Constructor },
  { source: "provider/functiongraph/alias.ts", make: functiongraph.Alias as unknown as Constructor },
  { source: "provider/functiongraph/trigger.ts", make: functiongraph.Trigger as unknown as Constructor },
  {
    source: "provider/functiongraph/dependency-version.ts",
    make: functiongraph.DependencyVersion as unknown as Constructor,
  },
  {
    source: "provider/functiongraph/invocation.ts",
    make: functiongraph.Invocation as unknown as Constructor,
  },
];

function sourceOf(source: string): string {
  return readFileSync(join(__dirname, "..", "..", source), "utf8");
}

/** The names a class declares as outputs (`declare readonly x: pulumi.Output<…>`), read from its source. */
function declaredOutputs(source: string): string[] {
  return [...sourceOf(source).matchAll(/declare readonly (\w+): pulumi\.Output</g)].map(
    (m) => m[1] as string,
  );
}

/** Its required inputs (`x: pulumi.Input<…>` without `?` in its `…Args` interface), each set to "x". */
function requiredArgs(source: string): Record<string, string> {
  const text = sourceOf(source);
  const className = /export class (\w+) extends/.exec(text)?.[1] ?? "";
  const args = new RegExp(`export interface ${className}Args \\{([\\s\\S]*?)\\n\\}`).exec(text)?.[1] ?? "";
  return Object.fromEntries([...args.matchAll(/^ {2}(\w+): /gm)].map((m) => [m[1] as string, "x"]));
}

describe("resource classes: every declared output exists without its optional input", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
        call: (args) => args.inputs,
      },
      "fnstack-test",
      "dev",
    );
  });

  for (const { source, make } of classes) {
    it(`${source}: each declared output is an Output when only the required inputs are given`, () => {
      const names = declaredOutputs(source);
      assert.ok(names.length > 0, "the class declares outputs");
      const resource = new make(
        `outputs-${source.replace(/\W/g, "-")}`,
        requiredArgs(source) as never,
      ) as unknown as Record<string, unknown>;
      const missing = names.filter((name) => !pulumi.Output.isInstance(resource[name]));
      assert.deepEqual(missing, [], `outputs that would be undefined in a program`);
    });
  }
});
