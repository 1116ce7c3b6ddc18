import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "mocha";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { EngineModel, type OperationResult } from "../../engine-model/engine";
import { type MultiRegionSetup, setUpMultiRegion } from "../../examples/multi-region/setup-emulator";
import { OciTestClient } from "../emulator/helpers";

// examples/multi-region run as `pulumi up` / `pulumi preview` / `pulumi destroy` would run it: the
// project's program under @pulumi/pulumi's cmd/run, the engine model, the real dynamic-provider plugin
// (fnstack from dist/: `npm run build` first), against an in-process emulator prepared by the example's
// own setup-emulator.ts.

describe("examples/multi-region: one stack, two OCI regions and two FunctionGraph projects", function () {
  this.timeout(300_000);
  let emu: RunningEmulator;
  let setup: MultiRegionSetup;
  let engine: EngineModel;
  let workDir: string;
  let up: OperationResult;

  before(async () => {
    workDir = mkdtempSync(join(tmpdir(), "fnstack-multi-region-"));
    emu = await startEmulator({
      dataDir: join(workDir, "emulator"),
      timing: { lifecycleMs: 100, workRequestMs: 100, triggerMs: 100 },
    });
    setup = await setUpMultiRegion(emu.url, emu.dataDir);
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (!/^(OCI_|OS_|FNSTACK_|PULUMI_)/.test(key)) env[key] = value;
    }
    Object.assign(env, setup.env, {
      FNSTACK_POLL_MIN_INTERVAL_MS: "25",
      FNSTACK_POLL_MAX_INTERVAL_MS: "100",
    });
    env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
    engine = new EngineModel({
      projectDir: resolve(__dirname, "..", "..", "examples", "multi-region"),
      stack: "dev",
      statePath: join(workDir, "state.json"),
      config: setup.config,
      env,
    });
    up = await engine.up();
    assert.equal(up.exitCode, 0, up.error);
  });
  after(async () => {
    await emu?.close();
    if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
  });

  it("creates every copy where its connection says", async () => {
    assert.equal(up.steps.filter((s) => s.op === "create").length, 6, JSON.stringify(up.steps));
    const outputs = up.outputs as {
      ociFunctions: Record<string, string>;
      functionGraphUrns: Record<string, string>;
    };
    assert.match(outputs.ociFunctions["us-ashburn-1"] ?? "", /^ocid1\.fnfunc\.oc1\.us-ashburn-1\./);
    assert.match(outputs.ociFunctions["us-phoenix-1"] ?? "", /^ocid1\.fnfunc\.oc1\.us-phoenix-1\./);
    assert.equal(
      outputs.functionGraphUrns.default,
      `urn:fss:eu-de:${emu.functiongraph.projectId}:function:default:greeter`,
    );
    assert.equal(
      outputs.functionGraphUrns["team-b"],
      `urn:fss:eu-de:${setup.teamBProjectId}:function:default:greeter`,
    );
    const oci = new OciTestClient(emu);
    for (const [region, id] of Object.entries(outputs.ociFunctions)) {
      const res = await oci.call("GET", `/regions/${region}/20181201/functions/${id}`);
      assert.equal(res.status, 200, `${region}: ${res.text}`);
      assert.equal(res.json.lifecycleState, "ACTIVE");
    }
  });

  it("has nothing to change on a second preview, and destroys every copy in its own place", async () => {
    const preview = await engine.preview();
    assert.equal(preview.exitCode, 0, preview.error);
    assert.deepEqual(
      preview.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`),
      [],
    );
    const outputs = up.outputs as { ociFunctions: Record<string, string> };
    const destroyed = await engine.destroy();
    assert.equal(destroyed.exitCode, 0, destroyed.error);
    assert.equal(destroyed.steps.filter((s) => s.op === "delete").length, 6);
    const oci = new OciTestClient(emu);
    for (const [region, id] of Object.entries(outputs.ociFunctions)) {
      const res = await oci.call("GET", `/regions/${region}/20181201/functions/${id}`);
      assert.ok(
        res.status === 404 || res.json.lifecycleState === "DELETED",
        `${region}: ${res.status} ${res.text}`,
      );
    }
  });
});
