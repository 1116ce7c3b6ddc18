import { strict as assert } from "node:assert";
import { after, before, describe, it } from "mocha";
import type { RunningEmulator } from "../../../emulator";
import type { ClientContext } from "../../../sdk/core/client";
import * as fns from "../../../sdk/functiongraph/clients/functions";
import * as versionsClient from "../../../sdk/functiongraph/clients/versions";
import {
  type PluginClient,
  type Props,
  PluginCallError,
  fixtureProject,
  startPlugin,
} from "../../engine/harness";
import { control } from "../../sdk/functiongraph/clients/helpers";
import { emptyZipBase64, validFunction } from "./cases";
import { type FunctionGraphPlugin, startFunctionGraphPlugin } from "./engine-fixture";
import { failOnce, tokenConfig } from "./helpers";

// Engine-path tests: the real dynamic-provider plugin loads each kind's serialized thin stub, which loads
// this repository's dist/ (run `npm run build` first). Credentials reach it as a user's would: the
// environment (FNSTACK_FUNCTIONGRAPH_ENDPOINT, OS_CLIENT_CONFIG_FILE, OS_CLOUD) or the stack config.

const kinds = ["Function", "Version", "Alias", "Trigger", "DependencyVersion", "Invocation"] as const;

describe("FunctionGraph resources through the engine-path harness", function () {
  this.timeout(120_000);
  let emu: RunningEmulator;
  let ctx: ClientContext;
  let plugin: PluginClient;
  let stubs: Readonly<Record<string, string>>;

  let fixture: FunctionGraphPlugin | undefined;

  before(async () => {
    fixture = await startFunctionGraphPlugin(kinds);
    ({ emu, ctx, plugin, stubs } = fixture);
  });
  after(async () => {
    await fixture?.close();
  });

  /** Inputs as the engine sends them: the checked inputs plus the stub. */
  const check = (kind: string, news: Props, olds: Props = {}): Promise<Props> =>
    (fixture as FunctionGraphPlugin).check(kind, news, olds);

  it("each serialized provider stays a few KB and holds no credential", () => {
    const fg = emu.functiongraph;
    for (const k of kinds) {
      const text = stubs[k] ?? "";
      console.log(`      functiongraph:${k} serialized provider: ${Buffer.byteLength(text)} bytes`);
      assert.ok(Buffer.byteLength(text) < 4096, `${k}: ${Buffer.byteLength(text)} bytes`);
      for (const secret of [fg.accessKey, fg.secretKey, fg.password, emu.url])
        assert.ok(!text.includes(secret), `${k} holds ${secret}`);
      assert.match(text, /require\("fnstack\/provider"\)/);
    }
  });

  it("rejects bad input in check through the plugin, naming the property", async () => {
    const r = await plugin.check(
      {},
      { ...validFunction("eng-bad"), memorySize: 300, __provider: stubs.Function },
    );
    assert.ok(r.failures.some((f) => f.property === "memorySize"));
  });

  it("Function: create, read, no-change diff, in-place update keeping max instances, replace, drift, delete, adopt", async () => {
    const inputs = await check("Function", {
      ...validFunction("eng-fn"),
      maxInstanceNum: 4,
      userData: { K: "v" },
    });
    const created = await plugin.create(inputs);
    assert.match(created.id, /function:default:eng-fn$/);
    assert.equal(created.properties.memorySize, 256);
    const read = await plugin.read(created.id, created.properties);
    assert.equal(read.id, created.id);
    assert.equal((await plugin.diff(created.id, read.properties, inputs)).changes, "DIFF_NONE");

    const bigger = await check(
      "Function",
      {
        ...validFunction("eng-fn"),
        maxInstanceNum: 4,
        userData: { K: "v" },
        memorySize: 1024,
      },
      inputs,
    );
    const d = await plugin.diff(created.id, read.properties, bigger);
    assert.equal(d.changes, "DIFF_SOME");
    assert.deepEqual(d.replaces, []);
    const updated = await plugin.update(created.id, read.properties, bigger, inputs);
    assert.equal(updated.properties.memorySize, 1024);
    const live = await fns.getFunctionConfig(ctx, { funcUrn: created.id });
    assert.equal(live.strategy_config?.concurrency, 4, "max instances kept");

    const renamedRuntime = await check(
      "Function",
      { ...validFunction("eng-fn"), runtime: "Python3.10" },
      bigger,
    );
    assert.deepEqual((await plugin.diff(created.id, updated.properties, renamedRuntime)).replaces, [
      "runtime",
    ]);

    await control(emu, "POST", "drift", { action: "change", resourceId: created.id, patch: { timeout: 99 } });
    const drifted = await plugin.read(created.id, updated.properties);
    assert.equal(drifted.properties.timeout, 99);
    assert.equal((await plugin.diff(created.id, drifted.properties, bigger)).changes, "DIFF_SOME");

    await plugin.delete(created.id, drifted.properties);
    assert.equal((await plugin.read(created.id, drifted.properties)).id, "");

    const adoptedInputs = await check("Function", { ...validFunction("eng-adopt") });
    const original = await plugin.create(adoptedInputs);
    const adopted = await plugin.create(
      await check("Function", { ...validFunction("eng-adopt"), memorySize: 512, adoptId: original.id }),
    );
    assert.equal(adopted.id, original.id);
    assert.equal((await fns.getFunctionConfig(ctx, { funcUrn: original.id })).memory_size, 512);
    await plugin.delete(adopted.id, adopted.properties);
  });

  it("Function: a dependency-only change succeeds, through DependencyVersion", async () => {
    const depInputs = await check("DependencyVersion", {
      name: "eng-deps",
      runtime: "Python3.9",
      fileBase64: emptyZipBase64,
    });
    const dep = await plugin.create(depInputs);
    assert.equal(
      (await plugin.diff(dep.id, (await plugin.read(dep.id, dep.properties)).properties, depInputs)).changes,
      "DIFF_NONE",
    );
    const inputs = await check("Function", validFunction("eng-deps-fn"));
    const created = await plugin.create(inputs);
    const withDep = await check(
      "Function",
      { ...validFunction("eng-deps-fn"), dependVersionList: [dep.properties.versionId] },
      inputs,
    );
    const updated = await plugin.update(created.id, created.properties, withDep, inputs);
    assert.deepEqual(updated.properties.dependVersionList, [dep.properties.versionId]);
    const replaced = await check("DependencyVersion", { ...depInputs, description: "new" }, depInputs);
    assert.deepEqual((await plugin.diff(dep.id, dep.properties, replaced)).replaces, ["description"]);
    await plugin.delete(created.id, updated.properties);
    const depAdopted = await plugin.create(
      await check("DependencyVersion", { ...stripProvider(depInputs), adoptId: dep.id }),
    );
    assert.equal(depAdopted.id, dep.id);
    await control(emu, "POST", "drift", { action: "delete", resourceId: String(dep.properties.versionId) });
    assert.equal(
      (await plugin.read(dep.id, dep.properties)).id,
      "",
      "refresh sees it deleted behind our back",
    );
    await plugin.delete(dep.id, dep.properties);
  });

  it("Version, Alias (weights round-trip), Trigger and Invocation lifecycles", async () => {
    const fnInputs = await check("Function", validFunction("eng-va"));
    const fn = await plugin.create(fnInputs);
    const funcUrn = fn.id;

    const vInputs = await check("Version", { funcUrn, version: "v1" });
    const v1 = await plugin.create(vInputs);
    assert.equal(v1.id, `${funcUrn}:v1`);
    assert.equal(
      (await plugin.diff(v1.id, (await plugin.read(v1.id, v1.properties)).properties, vInputs)).changes,
      "DIFF_NONE",
    );
    assert.deepEqual(
      (
        await plugin.diff(
          v1.id,
          v1.properties,
          await check("Version", { funcUrn, version: "v1", description: "d" }),
        )
      ).replaces,
      ["description"],
    );
    await fns.updateFunctionCode(ctx, {
      funcUrn,
      body: { code_type: "inline", func_code: { file: Buffer.from("z = 3").toString("base64") } },
    });
    const v2 = await plugin.create(await check("Version", { funcUrn, version: "v2" }));
    const v1Adopted = await plugin.create(await check("Version", { funcUrn, version: "v1", adoptId: v1.id }));
    assert.equal(v1Adopted.id, v1.id);

    const aInputs = await check("Alias", {
      funcUrn,
      name: "prod",
      version: "v1",
      additionalVersionWeights: { v2: 10 },
    });
    const a = await plugin.create(aInputs);
    const aRead = await plugin.read(a.id, a.properties);
    assert.deepEqual(aRead.properties.additionalVersionWeights, { v2: 10 });
    assert.equal((await plugin.diff(a.id, aRead.properties, aInputs)).changes, "DIFF_NONE");
    const aNews = await check(
      "Alias",
      { funcUrn, name: "prod", version: "v1", additionalVersionWeights: { v2: 50 } },
      aInputs,
    );
    assert.deepEqual((await plugin.diff(a.id, aRead.properties, aNews)).replaces, []);
    const aRenamed = await check("Alias", { funcUrn, name: "prod2", version: "v1" }, aInputs);
    assert.deepEqual((await plugin.diff(a.id, aRead.properties, aRenamed)).replaces, ["name"]);
    const aUpd = await plugin.update(a.id, aRead.properties, aNews, aInputs);
    assert.deepEqual(aUpd.properties.additionalVersionWeights, { v2: 50 });
    await control(emu, "POST", "drift", {
      action: "change",
      resourceId: a.id,
      patch: { description: "changed" },
    });
    assert.equal((await plugin.read(a.id, aUpd.properties)).properties.description, "changed");
    const aAdopt = await plugin.create(
      await check("Alias", { funcUrn, name: "prod", version: "v1", adoptId: a.id }),
    );
    assert.equal(aAdopt.id, a.id);

    const tInputs = await check("Trigger", {
      funcUrn: `${funcUrn}:!prod`,
      triggerTypeCode: "TIMER",
      eventData: { name: "eng", scheduleType: "Cron", schedule: "0 0 8 * * *" },
    });
    const t = await plugin.create(tInputs);
    assert.equal(t.properties.status, "ACTIVE");
    assert.equal(
      (await plugin.diff(t.id, (await plugin.read(t.id, t.properties)).properties, tInputs)).changes,
      "DIFF_NONE",
    );
    const tOff = await check("Trigger", { ...stripProvider(tInputs), status: "DISABLED" }, tInputs);
    const tUpd = await plugin.update(t.id, t.properties, tOff, tInputs);
    assert.equal(tUpd.properties.status, "DISABLED");
    const tResched = await check(
      "Trigger",
      { ...stripProvider(tOff), eventData: { name: "eng", scheduleType: "Cron", schedule: "0 0 9 * * *" } },
      tOff,
    );
    assert.deepEqual((await plugin.diff(t.id, tUpd.properties, tResched)).replaces, ["eventData"]);
    await control(emu, "POST", "drift", {
      action: "change",
      resourceId: String(tUpd.properties.triggerId),
      patch: { trigger_status: "ACTIVE" },
    });
    const tDrift = await plugin.read(t.id, tUpd.properties);
    assert.equal(tDrift.properties.status, "ACTIVE", "refresh sees the status flipped behind our back");
    assert.equal((await plugin.diff(t.id, tDrift.properties, tOff)).changes, "DIFF_SOME");
    const tAdopt = await plugin.create(
      await check("Trigger", { ...stripProvider(tOff), adoptId: tUpd.properties.triggerId }),
    );
    assert.equal(tAdopt.id, t.id);
    await plugin.delete(t.id, tUpd.properties);
    assert.equal((await plugin.read(t.id, tUpd.properties)).id, "");

    const iInputs = await check("Invocation", { funcUrn: `${funcUrn}:!prod`, event: { hello: "engine" } });
    const i = await plugin.create(iInputs);
    assert.deepEqual(i.properties.resultJson, { hello: "engine" });
    const iRead = await plugin.read(i.id, i.properties);
    assert.equal((await plugin.diff(i.id, iRead.properties, iInputs)).changes, "DIFF_NONE");
    const iNews = await check(
      "Invocation",
      { funcUrn: `${funcUrn}:!prod`, event: { hello: "again" } },
      iInputs,
    );
    assert.deepEqual((await plugin.update(i.id, i.properties, iNews, iInputs)).properties.resultJson, {
      hello: "again",
    });
    await plugin.delete(i.id, i.properties);

    await plugin.delete(a.id, aUpd.properties);
    await plugin.delete(v2.id, v2.properties);
    await plugin.delete(v1.id, v1.properties);
    assert.equal(await versionsClient.findVersion(ctx, { funcUrn, version: "v1" }), undefined);
    assert.ok(
      await fns.getFunctionConfig(ctx, { funcUrn }),
      "deleting versions and aliases never deletes the function",
    );
    await plugin.delete(funcUrn, fn.properties);
  });

  it("records a partial create failure (ErrorResourceInitFailed with id, outputs and __provider)", async () => {
    await failOnce(emu, "UpdateFunctionMaxInstanceConfig", { message: "max instances refused" });
    const inputs = await check("Function", { ...validFunction("eng-partial"), maxInstanceNum: 3 });
    const err = await plugin.create(inputs).catch((e: unknown) => e);
    await control(emu, "DELETE", "faults");
    assert.ok(err instanceof PluginCallError, String(err));
    const failed = err.initFailed;
    assert.ok(failed, "ErrorResourceInitFailed decoded");
    assert.match(failed.id, /function:default:eng-partial$/);
    assert.equal(failed.properties.__provider, stubs.Function);
    assert.equal(failed.properties.funcUrn, failed.id);
    // the next up retries with an update, which converges
    const updated = await plugin.update(failed.id, failed.properties, inputs, inputs);
    assert.equal(updated.properties.maxInstanceNum, 3);
    await plugin.delete(failed.id, updated.properties);
  });

  it("records a partial update failure (ErrorResourceInitFailed with what the cloud holds), then converges", async () => {
    const inputs = await check("Function", {
      ...validFunction("eng-upd-partial"),
      maxInstanceNum: 2,
      reservedInstanceCount: 1,
    });
    const created = await plugin.create(inputs);
    const news = await check(
      "Function",
      { ...validFunction("eng-upd-partial"), maxInstanceNum: 6, memorySize: 512, reservedInstanceCount: 2 },
      inputs,
    );
    await failOnce(emu, "UpdateFunctionReservedInstancesCount", { message: "reserved instances refused" });
    const err = await plugin.update(created.id, created.properties, news, inputs).catch((e: unknown) => e);
    await control(emu, "DELETE", "faults");
    assert.ok(err instanceof PluginCallError, String(err));
    const failed = err.initFailed;
    assert.ok(failed, "ErrorResourceInitFailed decoded");
    assert.equal(failed.id, created.id);
    assert.equal(failed.properties.__provider, stubs.Function);
    assert.equal(failed.properties.memorySize, 512, "the accepted config write is recorded");
    assert.equal(failed.properties.maxInstanceNum, 6, "max instances went with the config write");
    assert.equal(failed.properties.reservedInstanceCount, 1, "the refused write is not");
    assert.match(failed.reasons[0] ?? "", /exists but failed to initialize: .*reserved instances refused/);
    assert.equal((await plugin.diff(created.id, failed.properties, news)).changes, "DIFF_SOME");
    const updated = await plugin.update(created.id, failed.properties, news, news);
    assert.equal(updated.properties.reservedInstanceCount, 2);
    assert.equal((await fns.getFunctionConfig(ctx, { funcUrn: created.id })).strategy_config?.concurrency, 6);
    assert.equal((await plugin.diff(created.id, updated.properties, news)).changes, "DIFF_NONE");
    await plugin.delete(created.id, updated.properties);
  });

  it("works with an IAM token from the stack config instead of the environment", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(env))
      if (key.startsWith("OS_") || key.startsWith("FNSTACK_")) delete env[key];
    const tokenProject = fixtureProject();
    const tokenPlugin = await startPlugin({
      cwd: tokenProject.dir,
      env,
      config: tokenConfig(emu),
      secretKeys: ["opentelekomcloud:password"],
    });
    try {
      await tokenPlugin.configure();
      const r = await tokenPlugin.check({}, { ...validFunction("eng-token"), __provider: stubs.Function });
      const created = await tokenPlugin.create(r.inputs);
      assert.equal((await tokenPlugin.read(created.id, created.properties)).id, created.id);
      await tokenPlugin.delete(created.id, created.properties);
    } finally {
      await tokenPlugin.close();
      tokenProject.remove();
    }
  });
});

function stripProvider(p: Props): Props {
  const out = { ...p };
  delete out.__provider;
  return out;
}
