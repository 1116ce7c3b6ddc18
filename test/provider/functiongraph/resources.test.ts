import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { before, describe, it } from "mocha";
import { functiongraph } from "../../../index";

// Program-side wiring only (setMocks): type tokens, output-only properties and secret outputs.
const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];

function value<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

describe("FunctionGraph resource classes", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource(args) {
          registered.push({
            type: args.type,
            name: args.name,
            inputs: args.inputs as Record<string, unknown>,
          });
          return {
            id: `${args.name}-id`,
            state: { ...args.inputs, funcUrn: "urn:fss:eu-de:p:function:default:f" },
          };
        },
        call: (args) => args.inputs,
      },
      "fnstack-test",
      "dev",
    );
  });

  it("register readable type tokens under fnstack/functiongraph", async () => {
    const fn = new functiongraph.Function("f", {
      name: "f",
      runtime: "Python3.9",
      handler: "index.handler",
      memorySize: 128,
      timeout: 3,
      inlineCode: "x",
    });
    const urn = await value(fn.urn);
    assert.match(urn, /pulumi-nodejs:dynamic\/fnstack\/functiongraph:Function::f$/);
    assert.equal(
      await value(fn.funcUrn),
      "urn:fss:eu-de:p:function:default:f",
      "declared outputs are not shadowed",
    );
    new functiongraph.Version("v", { funcUrn: fn.funcUrn });
    new functiongraph.Alias("a", { funcUrn: fn.funcUrn, name: "live", version: "latest" });
    new functiongraph.Trigger("t", {
      funcUrn: fn.funcUrn,
      triggerTypeCode: "TIMER",
      eventData: { name: "t", scheduleType: "Rate", schedule: "5m" },
    });
    new functiongraph.DependencyVersion("d", { name: "d", runtime: "Python3.9", fileBase64: "UEsFBg==" });
    const inv = new functiongraph.Invocation("i", { funcUrn: fn.funcUrn });
    await value(inv.urn);
    const types = registered.map((r) => r.type).sort();
    for (const t of ["Alias", "DependencyVersion", "Function", "Invocation", "Trigger", "Version"]) {
      assert.ok(
        types.includes(`pulumi-nodejs:dynamic/fnstack/functiongraph:${t}`),
        `${t} in ${types.join(", ")}`,
      );
    }
  });

  it("pass a thin __provider that only requires fnstack/provider", () => {
    const fn = registered.find((r) => r.type.endsWith(":Function"));
    const text = String(fn?.inputs.__provider ?? "");
    assert.ok(text.length > 0 && text.length < 4096, `${text.length} bytes`);
    assert.deepEqual(
      [...new Set([...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))],
      ["fnstack/provider"],
    );
  });
});
