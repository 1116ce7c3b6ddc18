import { strict as assert } from "node:assert";
import { FnstackError, WorkRequestFailedError } from "../../sdk/core/errors";
import { freshRuntime } from "./fresh-runtime";

describe("partialFailure", () => {
  const inputs = { __provider: "exports.handler = __f0; /* stub */", name: "fn", memoryInMBs: 256 };
  const outputs = { id: "ocid1.fnfunc.oc1..aaa", name: "fn", lifecycleState: "FAILED" };

  it("carries the id, the outputs plus __provider from the inputs, and one reason", () => {
    const { partialFailure } = freshRuntime().partialFailure;
    const cause = new Error("function did not become ACTIVE: FAILED");
    const error = partialFailure(cause, "ocid1.fnfunc.oc1..aaa", outputs, inputs);
    assert.equal(error.id, "ocid1.fnfunc.oc1..aaa");
    assert.deepEqual(error.properties, { ...outputs, __provider: inputs.__provider });
    assert.deepEqual(error.reasons, [error.message]);
    assert.equal(error.cause, cause);
    assert.ok(error instanceof FnstackError);
    assert.equal(error.code, "ResourceInitFailed");
  });

  it("names the resource id and the cause in the message", () => {
    const { partialFailure } = freshRuntime().partialFailure;
    const cause = new WorkRequestFailedError("work request ocid1.wr.x failed: image not found", {
      workRequestId: "ocid1.wr.x",
      status: "FAILED",
    });
    const error = partialFailure(cause, "ocid1.fnfunc.oc1..aaa", outputs, inputs);
    assert.equal(
      error.message,
      "resource ocid1.fnfunc.oc1..aaa exists but failed to initialize: work request ocid1.wr.x failed: image not found",
    );
  });

  it("does not mutate the outputs or the inputs it was given", () => {
    const { partialFailure } = freshRuntime().partialFailure;
    const outs = { ...outputs };
    const ins = { ...inputs };
    partialFailure(new Error("x"), "id-1", outs, ins);
    assert.deepEqual(outs, outputs);
    assert.deepEqual(ins, inputs);
  });

  it("adds no __provider key when the inputs have none", () => {
    const { partialFailure } = freshRuntime().partialFailure;
    const error = partialFailure(new Error("x"), "id-1", { a: 1 }, { b: 2 });
    assert.deepEqual(error.properties, { a: 1 });
  });

  it("redacts configured credentials that a cause's message contains", () => {
    const { runtime, partialFailure } = freshRuntime();
    const values: Record<string, string> = { "opentelekomcloud:secretKey": "SK0123456789abcdef" };
    runtime.configure((key) => values[key]);
    runtime.stackConfig()("opentelekomcloud:secretKey");
    const error = partialFailure.partialFailure(
      new Error("signature computed with SK0123456789abcdef did not match"),
      "urn:fss:eu-de:p:function:default:fn:latest",
      {},
      inputs,
    );
    assert.ok(!error.message.includes("SK0123456789abcdef"), error.message);
    assert.ok(error.message.includes("[redacted]"));
    assert.ok(!error.reasons.join(" ").includes("SK0123456789abcdef"));
  });

  it("never stringifies a thrown non-Error object, which may hold anything", () => {
    const { partialFailure } = freshRuntime().partialFailure;
    const error = partialFailure({ password: "p@ssw0rd-in-object" }, "id-2", {}, inputs);
    assert.ok(!error.message.includes("p@ssw0rd"));
    assert.match(error.message, /id-2.*non-Error value \(object\)/);
  });
});
