import { strict as assert } from "node:assert";
import { before, describe, it } from "mocha";
import type { Step } from "../../engine-model/engine";
import { DemoFailure, type DemoReport, functionGraphAvailable, runDemo } from "../../examples/demo/run";

// The demo (`npm run demo`) end to end: the program in examples/demo runs under @pulumi/pulumi's
// cmd/run against the engine model, through the real dynamic-provider plugin, which loads fnstack
// from dist/ (npm test builds it first), against an in-process emulator. runDemo() itself fails on any unexpected step; these assertions check the
// outcomes independently, from the report.

function stepFor(steps: readonly Step[], name: string): Step | undefined {
  return steps.find((s) => s.name === name);
}

describe("examples/demo: preview, up, drift, drift check, refresh, preview, up, drift check, preview, destroy", function () {
  this.timeout(300_000);
  let report: DemoReport;
  const lines: string[] = [];
  const withFunctionGraph = functionGraphAvailable();
  const expected = withFunctionGraph ? 10 : 4;

  before(async () => {
    report = await runDemo({ log: (line) => lines.push(line) });
  });

  it("previews every resource of a new stack as a create, then creates them with real ids", () => {
    assert.equal(report.preview.steps.length, expected);
    assert.ok(report.preview.steps.every((s) => s.op === "create"));
    assert.deepEqual(
      report.up.steps.map((s) => s.op),
      Array(expected).fill("create"),
    );
    assert.match(String(report.up.outputs?.ociFunctionId), /^ocid1\.fnfunc\./);
    assert.equal(report.up.outputs?.ociSmokeResponse, '{"name":"fnstack"}', "the function echoes the body");
    if (withFunctionGraph) {
      assert.match(String(report.up.outputs?.fgAliasUrn), /:function:default:fnstack-demo-greeter:!live$/);
      assert.deepEqual(JSON.parse(String(report.up.outputs?.fgSmokeResult)), { name: "fnstack" });
    }
  });

  it("refresh finds the changed resources (with the changed property) and the deleted one", () => {
    const hello = stepFor(report.refresh.steps, "hello");
    assert.equal(hello?.op, "update");
    assert.deepEqual(
      hello?.changes.find((c) => c.key === "memoryInMBs"),
      { key: "memoryInMBs", old: 256, new: 1024 },
    );
    assert.equal(stepFor(report.refresh.steps, "web")?.op, "delete");
    if (withFunctionGraph) {
      const greeter = stepFor(report.refresh.steps, "greeter");
      assert.equal(greeter?.op, "update");
      assert.deepEqual(
        greeter?.changes.find((c) => c.key === "timeout"),
        { key: "timeout", old: 30, new: 99 },
      );
    }
  });

  it("the CI drift check exits 7 after the drift, naming each drifted resource and property, and 0 after the repair", () => {
    assert.equal(report.driftCheck.exitCode, 7);
    assert.equal(stepFor(report.driftCheck.steps, "web")?.op, "delete");
    assert.ok(stepFor(report.driftCheck.steps, "hello")?.changes.some((c) => c.key === "memoryInMBs"));
    if (withFunctionGraph)
      assert.ok(stepFor(report.driftCheck.steps, "greeter")?.changes.some((c) => c.key === "timeout"));
    assert.equal(report.driftCheckAfterRepair.exitCode, 0);
    assert.ok(report.driftCheckAfterRepair.steps.every((s) => s.op === "same"));
    const log = lines.join("\n");
    assert.match(log, /no changes were expected for refresh but changes were proposed/);
  });

  it("the preview after drift shows exactly the real changes: no replacement", () => {
    const ops = report.previewAfterDrift.steps
      .filter((s) => s.op !== "same")
      .map((s) => s.op)
      .sort();
    assert.deepEqual(ops, withFunctionGraph ? ["create", "update", "update"] : ["create", "update"]);
    assert.ok(!lines.join("\n").includes("note: a preview cannot know"), "no explanatory note any more");
  });

  it("the preview after refresh plans updates for the drifted resources and a create for the deleted one", () => {
    assert.equal(stepFor(report.previewAfterDrift.steps, "hello")?.op, "update");
    assert.equal(stepFor(report.previewAfterDrift.steps, "web")?.op, "create");
    assert.equal(stepFor(report.previewAfterDrift.steps, "demo-app")?.op, "same");
    if (withFunctionGraph) assert.equal(stepFor(report.previewAfterDrift.steps, "greeter")?.op, "update");
  });

  it("up brings the stack back, and a second preview shows no change at all", () => {
    assert.equal(stepFor(report.upAfterDrift.steps, "hello")?.op, "update");
    assert.equal(stepFor(report.upAfterDrift.steps, "web")?.op, "create");
    const pending = report.finalPreview.steps.filter((s) => s.op !== "same");
    assert.deepEqual(pending, [], "no perpetual diff");
    assert.equal(report.finalPreview.steps.length, expected);
  });

  it("destroy deletes everything, dependents first, and the emulator holds nothing afterwards", () => {
    const order = report.destroy.steps.map((s) => s.name);
    assert.equal(order.length, expected);
    assert.ok(report.destroy.steps.every((s) => s.op === "delete"));
    assert.ok(order.indexOf("hello-smoke") < order.indexOf("hello"), "the invocation before its function");
    assert.ok(order.indexOf("hello") < order.indexOf("demo-app"), "the function before its application");
    if (withFunctionGraph) {
      assert.ok(order.indexOf("greeter-nightly") < order.indexOf("greeter-live"), "trigger before alias");
      assert.ok(order.indexOf("greeter-live") < order.indexOf("greeter-v1"), "alias before version");
      assert.ok(order.indexOf("greeter") < order.indexOf("demo-libs"), "function before its dependency");
    }
    assert.deepEqual(report.leftovers, []);
  });

  it("logs each step with type, name and operation, and never a secret value", () => {
    const log = lines.join("\n");
    assert.match(log, /~ {2}oci:Function +hello +drifted\n(?: {8}.*\n)*? {8}memoryInMBs: 256 => 1024/);
    assert.match(log, /- {2}oci:ContainerInstance +web +gone/);
    assert.match(log, /demo passed in/);
    assert.doesNotMatch(log, /"LOG_LEVEL"|"GREETING"/, "config maps are secret outputs");
  });
});

describe("examples/demo: a step that does not behave as expected", function () {
  this.timeout(300_000);

  it("fails the demo with a message naming the resource when the drift check finds no drift", async () => {
    const lines: string[] = [];
    await assert.rejects(
      runDemo({ log: (line) => lines.push(line), drift: false, functiongraph: false }),
      (err: unknown) =>
        err instanceof DemoFailure &&
        /refresh should find memoryInMBs of urn:pulumi:dev::fnstack-demo::.*::hello changed/.test(
          err.message,
        ),
    );
    assert.ok(
      lines.some((l) => /oci:Function +hello +unchanged/.test(l)),
      "the drift check itself ran",
    );
  });
});
