import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type OperationResult, atLeast } from "../../engine-model/engine";
import { readState } from "../../engine-model/state";
import { secretSig, sigKey, unknownValue as unknown } from "../../engine-model/wire";
import { type CloudCall, type ModelProject, modelProject } from "./model-fixture";

// The engine model against the real dynamic-provider plugin and a program run by @pulumi/pulumi's
// cmd/run. Each test names the engine behaviour it protects and the Go function it follows; each
// would fail on the model this one replaced (one plugin for every operation, deletes of a replacement
// right after its create, no resource options, refresh by comparing outputs, serial refresh/destroy).

const ops = (result: OperationResult): string[] => result.steps.map((s) => `${s.op} ${s.name}`);
const callsOf = (calls: CloudCall[], method: CloudCall["method"], name?: string): CloudCall[] =>
  calls.filter((c) => c.method === method && (name === undefined || c.name === name));
const only = <T>(items: T[], what: string): T => {
  assert.equal(items.length, 1, `expected exactly one ${what}, got ${items.length}`);
  return items[0] as T;
};
/** The @pulumi/pulumi the fixture projects run (FNSTACK_ENGINE_PULUMI_DIR, e.g. the peer floor, or ours). */
const pluginVersion = (): string =>
  (
    JSON.parse(
      readFileSync(
        join(
          process.env.FNSTACK_ENGINE_PULUMI_DIR || dirname(require.resolve("@pulumi/pulumi/package.json")),
          "package.json",
        ),
        "utf8",
      ),
    ) as { version: string }
  ).version;

describe("engine model: a deployment as pkg/resource/deploy runs it", function () {
  this.timeout(120_000);
  let project: ModelProject | undefined;
  afterEach(() => {
    project?.remove();
    project = undefined;
  });

  it("runs preview and update as separate deployments, each with a fresh plugin process", async () => {
    project = modelProject(`new Thing("a", { size: 1 });`);
    const preview = await project.engine().preview();
    assert.equal(preview.exitCode, 0, preview.error);
    assert.deepEqual(ops(preview), ["create a"]);
    assert.equal(readState(project.statePath).resources.length, 0, "a preview writes no state");
    const up = await project.engine().up();
    assert.equal(up.exitCode, 0, up.error);
    const pids = new Set(callsOf(project.calls(), "check", "a").map((c) => c.pid));
    assert.equal(pids.size, 2, "the preview's Check and the update's Check come from two plugin processes");
  });

  it("records a partial failure with its id, outputs and init errors; the next up runs Update (CreateStep.Apply, continueStepsFromDiff)", async () => {
    project = modelProject(`new Thing("a", { size: 1, initFail: step === 1 });`);
    const first = await project.engine(1).up();
    assert.equal(first.exitCode, 1);
    assert.match(first.error ?? "", /failed to initialize/);
    const recorded = readState(project.statePath).resources.find((r) => r.urn.endsWith("::a"));
    assert.equal(recorded?.id, "obj-1");
    assert.deepEqual(recorded?.initErrors, ["health check failed"]);
    assert.equal(recorded?.outputs?.size, 1);
    project.clearCalls();
    // initFail is not a diffed property: Diff answers "no change", and the engine still updates.
    const second = await project.engine(2).up();
    assert.equal(second.exitCode, 0, second.error);
    assert.deepEqual(ops(second), ["update a"]);
    assert.equal(callsOf(project.calls(), "create").length, 0, "the resource is not created again");
    assert.equal(only(callsOf(project.calls(), "update", "a"), "update").args.id, "obj-1");
    const after = readState(project.statePath).resources.find((r) => r.urn.endsWith("::a"));
    assert.equal(after?.initErrors, undefined);
  });

  it("replaces a resource with init errors instead of updating it under replaceOnChanges #initerror", async () => {
    project = modelProject(
      `new Thing("a", { size: 1, initFail: step === 1 }, { replaceOnChanges: ["#initerror"] });`,
    );
    await project.engine(1).up();
    const second = await project.engine(2).up();
    assert.equal(second.exitCode, 0, second.error);
    assert.deepEqual(ops(second), ["replace a", "delete-replaced a"]);
    assert.deepEqual(second.steps[0]?.replaces, ["#initerror"]);
  });

  it("replaces create-before-delete with the old one deleted after every other step (GenerateDeletes)", async () => {
    project = modelProject(`
const a = new Thing("a", { forceNew: step === 1 ? "one" : "two" });
new Thing("c", { size: step, delayMs: 300 }, { dependsOn: [a] });`);
    await project.engine(1).up();
    project.clearCalls();
    const up = await project.engine(2).up();
    assert.equal(up.exitCode, 0, up.error);
    assert.deepEqual(ops(up), ["replace a", "update c", "delete-replaced a"]);
    const calls = project.calls();
    const createA = only(callsOf(calls, "create", "a"), "create of a");
    const deleteA = only(callsOf(calls, "delete", "a"), "delete of a");
    const updateC = only(callsOf(calls, "update", "c"), "update of c");
    assert.equal(deleteA.args.id, "obj-1", "the old object is deleted");
    assert.ok(deleteA.start >= createA.end, "the new one exists before the old one goes");
    assert.ok(deleteA.start >= updateC.end, "the old one is deleted only after the other steps");
    // A replacement re-runs Check without the olds (continueStepsFromDiff).
    const checks = callsOf(calls, "check", "a");
    assert.equal(checks.length, 2);
    assert.deepEqual(checks[1]?.args.olds, {});
    assert.notDeepEqual(checks[0]?.args.olds, {});
  });

  it("deletes before replacing when Diff asks, and first deletes the dependents whose Diff with the dependency unknown says replace (calculateDependentReplacements)", async () => {
    project = modelProject(`
const a = new Thing("a", { forceNew: step === 1 ? "one" : "two", dbr: true });
new Thing("b", { parentId: a.id });
new Thing("d", { ref: a.id });`);
    await project.engine(1).up();
    project.clearCalls();
    const up = await project.engine(2).up();
    assert.equal(up.exitCode, 0, up.error);
    const calls = project.calls();
    const diffB = callsOf(calls, "diff", "b").find(
      (c) => (c.args.news as Record<string, unknown>).parentId === unknown,
    );
    const diffD = callsOf(calls, "diff", "d").find(
      (c) => (c.args.news as Record<string, unknown>).ref === unknown,
    );
    assert.ok(diffB, "b's Diff was asked with parentId unknown");
    assert.ok(diffD, "d's Diff was asked with ref unknown");
    const deleteB = only(callsOf(calls, "delete", "b"), "delete of b");
    const deleteA = only(callsOf(calls, "delete", "a"), "delete of a");
    const createA = only(callsOf(calls, "create", "a"), "create of a");
    assert.ok(deleteB.end <= deleteA.start, "the dependent goes first");
    assert.ok(deleteA.end <= createA.start, "delete before create");
    assert.equal(callsOf(calls, "delete", "d").length, 0, "d only updates: it is not deleted first");
    assert.deepEqual(ops(up).sort(), [
      "delete-replaced a",
      "delete-replaced b",
      "replace a",
      "replace b",
      "update d",
    ]);
  });

  it("honours the deleteBeforeReplace option over the provider's answer", async () => {
    project = modelProject(`new Thing("a", { forceNew: String(step) }, { deleteBeforeReplace: true });`);
    await project.engine(1).up();
    project.clearCalls();
    const up = await project.engine(2).up();
    assert.equal(up.exitCode, 0, up.error);
    const calls = project.calls();
    assert.ok(
      only(callsOf(calls, "delete", "a"), "delete").end <=
        only(callsOf(calls, "create", "a"), "create").start,
    );
    assert.equal(up.steps.find((s) => s.op === "replace")?.deleteBeforeReplace, true);
  });

  it("refuses to delete a protected resource and keeps it in state (DeleteStep.Apply)", async () => {
    project = modelProject(`if (step === 1) new Thing("a", { size: 1 }, { protect: true });`);
    await project.engine(1).up();
    const up = await project.engine(2).up();
    assert.equal(up.exitCode, 1);
    assert.match(up.error ?? "", /protect/);
    assert.equal(callsOf(project.calls(), "delete").length, 0);
    assert.ok(
      readState(project.statePath).resources.some((r) => r.urn.endsWith("::a") && r.protect === true),
    );
  });

  it("forgets a retainOnDelete resource without deleting it", async () => {
    project = modelProject(`if (step === 1) new Thing("a", { size: 1 }, { retainOnDelete: true });`);
    await project.engine(1).up();
    const up = await project.engine(2).up();
    assert.equal(up.exitCode, 0, up.error);
    assert.deepEqual(ops(up), ["delete a"]);
    assert.equal(callsOf(project.calls(), "delete").length, 0);
    assert.ok(project.objects()["obj-1"], "the object is still in the cloud");
    assert.ok(!readState(project.statePath).resources.some((r) => r.urn.endsWith("::a")));
  });

  it("puts ignored properties back to their old values before Check (processIgnoreChanges)", async () => {
    project = modelProject(`new Thing("a", { size: step }, { ignoreChanges: ["size"] });`);
    await project.engine(1).up();
    const up = await project.engine(2).up();
    assert.deepEqual(ops(up), ["same a"]);
    const checked = callsOf(project.calls(), "check", "a").pop();
    assert.equal((checked?.args.news as Record<string, unknown>).size, 1);
    assert.equal(readState(project.statePath).resources.find((r) => r.urn.endsWith("::a"))?.inputs?.size, 1);
  });

  it("replaces on a replaceOnChanges property when the engine computes the diff (applyReplaceOnChanges)", async () => {
    project = modelProject(`
new Plain("p", { size: step }, { replaceOnChanges: ["size"] });
new Plain("q", { size: step });`);
    await project.engine(1).up();
    const up = await project.engine(2).up();
    assert.equal(up.exitCode, 0, up.error);
    assert.deepEqual(ops(up).sort(), ["delete-replaced p", "replace p", "update q"]);
  });

  it("deletes dependents before what they depend on (dependsOn), and no earlier (ScheduleDeletes)", async () => {
    project = modelProject(`
const x = new Thing("x", { size: 1, delayMs: 200 });
new Thing("y", { size: 1, delayMs: 200 }, { dependsOn: [x] });`);
    await project.engine(1).up();
    const y = readState(project.statePath).resources.find((r) => r.urn.endsWith("::y"));
    assert.ok(y?.dependencies?.some((d) => d.endsWith("::x")));
    const destroy = await project.engine(1).destroy();
    assert.equal(destroy.exitCode, 0, destroy.error);
    const calls = project.calls();
    assert.ok(
      only(callsOf(calls, "delete", "y"), "delete y").end <=
        only(callsOf(calls, "delete", "x"), "delete x").start,
    );
    assert.equal(readState(project.statePath).resources.length, 0);
  });

  it("moves state to a new name through an alias instead of replacing (getOldResource)", async () => {
    project = modelProject(`
if (step === 1) new Thing("old-name", { name: "n", size: 1 });
else new Thing("new-name", { name: "n", size: 1 }, { aliases: [{ name: "old-name" }] });`);
    await project.engine(1).up();
    const up = await project.engine(2).up();
    assert.equal(up.exitCode, 0, up.error);
    assert.deepEqual(ops(up), ["same new-name"]);
    const urns = readState(project.statePath).resources.map((r) => r.urn);
    assert.ok(urns.some((u) => u.endsWith("::new-name")) && !urns.some((u) => u.endsWith("::old-name")));
    assert.equal(callsOf(project.calls(), "delete").length, 0);
  });

  it("runs independent steps in parallel and starts none after the first failure (step_executor)", async () => {
    project = modelProject(`
const slow = new Thing("slow", { delayMs: 400 });
new Thing("quick", { delayMs: 400 });
new Thing("bad", { failCreate: true });
new Thing("later", { size: 1 }, { dependsOn: [slow] });`);
    const up = await project.engine().up();
    assert.equal(up.exitCode, 1);
    const calls = project.calls();
    const slow = only(callsOf(calls, "create", "slow"), "create slow");
    const quick = only(callsOf(calls, "create", "quick"), "create quick");
    assert.ok(quick.start < slow.end && slow.start < quick.end, "the two creates overlap");
    assert.equal(callsOf(calls, "create", "later").length, 0, "no step starts after the failure");
    // The engine reports the step's error once; the program is told the monitor shut down (Unavailable,
    // source_eval.go) and does not report the step's error again (the SDK's terminateRpcs).
    assert.match(up.error ?? "", /create of bad failed/);
    const repeats = up.diagnostics.filter((d) => /create of bad failed|failed to register/.test(d.message));
    assert.deepEqual(repeats, [], "no second report of the step's error from the program");
  });

  it("refreshes with Read(old inputs, old outputs), takes read's inputs and lets Diff judge drift, in parallel (RefreshStep.Apply)", async () => {
    project = modelProject(`
new Thing("a", { size: 1, readDelayMs: 300 });
new Thing("b", { size: 1, readDelayMs: 300 });`);
    await project.engine().up();
    const before = readState(project.statePath);
    const idOf = (name: string): string =>
      before.resources.find((r) => r.urn.endsWith(`::${name}`))?.id ?? "";
    // A value that changes on every write is not drift; a changed input is.
    project.drift(idOf("a"), { lastModified: 1 });
    project.drift(idOf("b"), { size: 7 });
    project.clearCalls();
    const refresh = await project.engine().refresh();
    assert.equal(refresh.exitCode, 0, refresh.error);
    assert.deepEqual(ops(refresh).sort(), ["same a", "update b"]);
    assert.deepEqual(refresh.steps.find((s) => s.name === "b")?.changes, [{ key: "size", old: 1, new: 7 }]);
    const calls = project.calls();
    const readA = only(callsOf(calls, "read", "a"), "read a");
    const readB = only(callsOf(calls, "read", "b"), "read b");
    assert.ok(readA.start < readB.end && readB.start < readA.end, "the reads overlap");
    assert.ok(callsOf(calls, "diff").length >= 2, "the provider's Diff judged the change");
    // `read` may return inputs from @pulumi/pulumi 3.216 on; before, the plugin drops them and the old stay.
    const readInputs = atLeast(pluginVersion(), "3.216.0");
    const stored = readState(project.statePath).resources.find((r) => r.urn.endsWith("::b"))?.inputs?.size;
    assert.equal(stored, readInputs ? 7 : 1);
  });

  it("refresh --preview-only --expect-no-changes exits 7 (1 before Pulumi 3.227) on drift, writes nothing, and exits 0 without drift", async () => {
    project = modelProject(`new Thing("a", { size: 1 });`);
    await project.engine().up();
    const clean = await project.engine().refresh({ previewOnly: true, expectNoChanges: true });
    assert.equal(clean.exitCode, 0, clean.error);
    const id = readState(project.statePath).resources.find((r) => r.urn.endsWith("::a"))?.id ?? "";
    project.drift(id, { size: 3 });
    const stateBefore = readFileSync(project.statePath, "utf8");
    const drifted = await project.engine().refresh({ previewOnly: true, expectNoChanges: true });
    assert.equal(drifted.exitCode, 7);
    assert.match(drifted.error ?? "", /no changes were expected for refresh/);
    assert.equal(readFileSync(project.statePath, "utf8"), stateBefore, "--preview-only writes nothing");
    const older = await project
      .engine(1, { cliVersion: "3.226.0" })
      .refresh({ previewOnly: true, expectNoChanges: true });
    assert.equal(older.exitCode, 1);
  });

  it("fails the operation with the program's own error and changes nothing when the program throws", async () => {
    project = modelProject(
      `if (step === 2) throw new Error("set the stack config fixture:thing");\nnew Thing("a", { size: 1 });`,
    );
    await project.engine(1).up();
    const stateBefore = readFileSync(project.statePath, "utf8");
    const up = await project.engine(2).up();
    assert.equal(up.exitCode, 1);
    assert.ok(
      up.diagnostics.some((d) => d.message.includes("set the stack config fixture:thing")),
      "the program's message reaches the diagnostics",
    );
    assert.equal(callsOf(project.calls(), "delete").length, 0, "no delete after a failed program");
    assert.equal(
      readState(project.statePath).resources.length,
      JSON.parse(stateBefore).deployment.resources.length,
    );
  });

  it("shows what a provider reports while it waits: Engine.Log, ephemeral, through the address the plugin was started with", async () => {
    project = modelProject(`new Thing("a", { progress: "work request IN_PROGRESS 40%, 3 s" });`);
    const lines: string[] = [];
    const up = await project.engine(1, { log: (l) => lines.push(l) }).up();
    assert.equal(up.exitCode, 0, up.error);
    const status = up.diagnostics.find((d) => d.message === "a: work request IN_PROGRESS 40%, 3 s");
    assert.ok(status, "the status reached the engine");
    assert.equal(status.ephemeral, true);
    assert.equal(status.severity, "info");
    assert.ok(lines.some((l) => l.includes("... a: work request IN_PROGRESS 40%, 3 s")));
  });

  it("writes state as `pulumi stack export` does: version 3, secrets nested where they are", async () => {
    project = modelProject(`new Thing("s", { password: pulumi.secret("hunter2"), size: 1 });`);
    const up = await project.engine().up();
    assert.equal(up.exitCode, 0, up.error);
    const text = readFileSync(project.statePath, "utf8");
    const exported = JSON.parse(text) as {
      version: number;
      deployment: { resources: Record<string, unknown>[] };
    };
    assert.equal(exported.version, 3);
    const s = exported.deployment.resources.find((r) => String(r.urn).endsWith("::s")) as {
      inputs: Record<string, unknown>;
      outputs: Record<string, unknown>;
      provider: string;
    };
    const envelope = { [sigKey]: secretSig, plaintext: JSON.stringify("hunter2") };
    assert.deepEqual(s.inputs.password, envelope);
    assert.deepEqual(s.outputs.password, envelope);
    assert.equal(s.inputs.size, 1);
    assert.match(
      s.provider,
      /^urn:pulumi:dev::fixture::pulumi:providers:pulumi-nodejs::default::[0-9a-f-]{36}$/,
    );
    assert.ok(exported.deployment.resources.some((r) => r.type === "pulumi:pulumi:Stack"));
  });
});
