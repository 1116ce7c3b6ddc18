import { strict as assert } from "node:assert";
import { describe, it } from "mocha";
import { unknownSentinel } from "../../../provider/inputs";
import { codeBody } from "../../../provider/functiongraph/function-code";
import { checkFunction } from "../../../provider/functiongraph/function-handler";
import {
  desiredConfig,
  diffFunction,
  liveConfigInputs,
  mergedConfig,
  planFunctionChange,
} from "../../../provider/functiongraph/function-model";
import type { FunctionConfig } from "../../../sdk/functiongraph/types/function";
import { validFunction } from "./cases";

async function checked(extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const r = await checkFunction({ ...validFunction(), ...extra });
  assert.deepEqual(r.failures ?? [], []);
  return r.inputs as Record<string, unknown>;
}

const current: FunctionConfig = {
  func_urn: "urn:fss:eu-de:p:function:default:hello-fn:latest",
  func_name: "hello-fn",
  package: "default",
  runtime: "Python3.9",
  handler: "index.handler",
  memory_size: 256,
  timeout: 30,
  description: "",
  user_data: '{"A":"1"}',
  strategy_config: { concurrency: 50, concurrent_num: 5 },
  func_vpc: { vpc_id: "", subnet_id: "" },
  digest: "d",
};

describe("Function mapping (camelCase ↔ snake_case in one place)", () => {
  it("maps config inputs to wire keys, env vars as JSON text, concurrency into strategy_config", async () => {
    const inputs = await checked({
      userData: { A: "1" },
      concurrency: 10,
      funcVpc: { vpcId: "v", subnetId: "s" },
    });
    const wire = desiredConfig(inputs);
    assert.equal(wire.memory_size, 256);
    assert.equal(wire.user_data, '{"A":"1"}');
    assert.deepEqual(wire.strategy_config, { concurrency: 10 });
    assert.deepEqual(wire.func_vpc, { vpc_id: "v", subnet_id: "s" });
  });

  it("merged config keeps concurrency and concurrent_num when only the memory changes", async () => {
    const inputs = await checked({ memorySize: 1024 });
    const body = mergedConfig(current, inputs, []);
    assert.equal(body.memory_size, 1024);
    assert.deepEqual(body.strategy_config, { concurrency: 50, concurrent_num: 5 });
    assert.equal(body.user_data, '{"A":"1"}', "unmanaged env vars keep their value");
    assert.equal(body.func_vpc, undefined, "an empty VPC block is not sent back");
  });

  it("merged config overrides one strategy member and keeps the other", async () => {
    const body = mergedConfig(current, await checked({ concurrentNum: 9 }), []);
    assert.deepEqual(body.strategy_config, { concurrency: 50, concurrent_num: 9 });
  });

  it("merged config clears settings the user removed (description, env vars)", async () => {
    const body = mergedConfig({ ...current, description: "old" }, await checked(), [
      "description",
      "userData",
    ]);
    assert.equal(body.description, "");
    assert.equal(body.user_data, "{}");
  });

  it("live config is trimmed to what the user set, so service-added fields are not drift", async () => {
    const live = liveConfigInputs(
      { ...current, func_vpc: { vpc_id: "v", subnet_id: "s", cidr: "10.0.0.0/8", vpc_name: "n" } },
      { funcVpc: { vpcId: "v", subnetId: "s" }, memorySize: 256 },
    );
    assert.deepEqual(live, { funcVpc: { vpcId: "v", subnetId: "s" }, memorySize: 256 });
  });

  it("the code body always carries the code, and an explicit dependency list", async () => {
    const body = await codeBody(await checked({ dependVersionList: ["dep-1"] }));
    assert.equal(body.code_type, "inline");
    assert.equal(Buffer.from(String(body.func_code?.file), "base64").toString(), validFunction().inlineCode);
    assert.deepEqual(body.depend_version_list, ["dep-1"]);
  });
});

describe("Function diff", () => {
  it("reports no change when outputs match the inputs", async () => {
    const inputs = await checked();
    const d = diffFunction({ ...inputs, funcUrn: "u", digest: "x" }, inputs);
    assert.equal(d.changes, false);
  });

  it("a memory change is an in-place config write", async () => {
    const olds = await checked();
    const plan = planFunctionChange(olds, await checked({ memorySize: 512 }));
    assert.deepEqual(plan.config, ["memorySize"]);
    assert.equal(plan.code, false);
    assert.deepEqual(plan.replaces, []);
  });

  it("a dependency-only change is a code write", async () => {
    const olds = await checked({ dependVersionList: ["a"] });
    const plan = planFunctionChange(olds, await checked({ dependVersionList: ["a", "b"] }));
    assert.equal(plan.code, true);
    assert.deepEqual(plan.config, []);
  });

  it("dependency order does not matter", async () => {
    const olds = await checked({ dependVersionList: ["a", "b"] });
    assert.equal(diffFunction(olds, await checked({ dependVersionList: ["b", "a"] })).changes, false);
  });

  it("a code change is detected through the hash of the code", async () => {
    const olds = await checked();
    const plan = planFunctionChange(
      olds,
      await checked({ inlineCode: "def handler(e, c):\n    return 1\n" }),
    );
    assert.ok(plan.changed.includes("codeHash"));
    assert.equal(plan.code, true);
  });

  it("a runtime change replaces, deleting first because the name stays", async () => {
    const d = diffFunction(await checked(), await checked({ runtime: "Python3.10" }));
    assert.deepEqual(d.replaces, ["runtime"]);
    assert.equal(d.deleteBeforeReplace, true);
  });

  it("an unknown name replaces; an unknown memory only updates", async () => {
    const olds = await checked();
    assert.deepEqual(diffFunction(olds, { ...olds, name: unknownSentinel }).replaces, ["name"]);
    const d = diffFunction(olds, { ...olds, memorySize: unknownSentinel });
    assert.equal(d.changes, true);
    assert.deepEqual(d.replaces, []);
  });

  it("adoptId and codeVersion alone change nothing on the service", async () => {
    const olds = await checked();
    assert.equal(
      diffFunction(olds, { ...olds, adoptId: "urn:fss:eu-de:p:function:default:x" }).changes,
      false,
    );
  });
});
