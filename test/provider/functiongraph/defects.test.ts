import { strict as assert } from "node:assert";
import { after, before, describe, it } from "mocha";
import type { RunningEmulator } from "../../../emulator";
import type { Props, ResourceHandler } from "../../../provider/handler";
import type { ClientContext } from "../../../sdk/core/client";
import * as deps from "../../../sdk/functiongraph/clients/dependencies";
import * as fns from "../../../sdk/functiongraph/clients/functions";
import * as aliasesClient from "../../../sdk/functiongraph/clients/aliases";
import { control, startTestEmulator, tokenContext } from "../../sdk/functiongraph/clients/helpers";
import { emptyZipBase64, validFunction } from "./cases";
import { akskConfig, handler, useConfig } from "./helpers";

// The thirteen defects of issue 10, each reproduced through the handlers against the emulator.

async function checked(h: ResourceHandler, news: Props, olds: Props = {}): Promise<Props> {
  const r = await h.check(olds, news);
  assert.deepEqual(r.failures ?? [], [], "check failures");
  return r.inputs as Props;
}

async function failures(h: ResourceHandler, news: Props): Promise<string[]> {
  return ((await h.check({}, news)).failures ?? []).map((f) => `${f.property}: ${f.reason}`);
}

async function requestCounts(emu: RunningEmulator): Promise<Record<string, number>> {
  const s = (await control(emu, "GET", "stats")) as { requests?: Record<string, Record<string, number>> };
  return s.requests?.functiongraph ?? {};
}

/** Runs `body` with console.warn captured (pulumi.log.warn without an engine writes there). */
async function capturingWarnings(body: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    seen.push(args.map(String).join(" "));
  };
  try {
    await body();
  } finally {
    console.warn = original;
  }
  return seen;
}

describe("FunctionGraph: the thirteen defects of issue 10, through the handlers", function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let ctx: ClientContext;
  const fn = handler("Function");
  const ver = handler("Version");
  const alias = handler("Alias");
  const trig = handler("Trigger");
  const dep = handler("DependencyVersion");
  const inv = handler("Invocation");

  before(async () => {
    emu = await startTestEmulator();
    ctx = await tokenContext(emu);
    useConfig(akskConfig(emu));
  });
  after(async () => {
    await emu?.close();
  });

  it("1: a function created with concurrentNum alone is enabled, shows its max instances, and runs", async () => {
    const inputs = await checked(fn, { ...validFunction("d1-conc"), concurrentNum: 5 });
    const created = await fn.create(inputs);
    const live = await fns.getFunctionConfig(ctx, { funcUrn: created.id });
    assert.equal(live.strategy_config?.concurrent_num, 5);
    assert.notEqual(live.strategy_config?.concurrency, 0, "not left disabled");
    const read = await fn.read(created.id, created.outs as Props);
    assert.equal(typeof (read.props as Props).maxInstanceNum, "number", "refresh shows max instances");
    assert.equal((await fn.diff(created.id, read.props as Props, inputs)).changes, false);
    const invoked = await inv.create(await checked(inv, { funcUrn: created.id, event: { ok: 1 } }));
    assert.deepEqual((invoked.outs as Props).resultJson, { ok: 1 });
  });

  it("2: a custom-image function moves to a new image in place", async () => {
    const base: Props = {
      ...validFunction("d2-image"),
      runtime: "Custom Image",
      customImage: { image: "swr.eu-de.otc.t-systems.com/org/img:1" },
    };
    delete base.inlineCode;
    delete base.handler;
    const inputs = await checked(fn, base);
    const created = await fn.create(inputs);
    const news = await checked(
      fn,
      { ...base, customImage: { image: "swr.eu-de.otc.t-systems.com/org/img:2" } },
      inputs,
    );
    const d = await fn.diff(created.id, created.outs as Props, news);
    assert.equal(d.changes, true);
    assert.deepEqual(d.replaces, []);
    const updated = (await fn.update(created.id, created.outs as Props, news)).outs as Props;
    const live = await fns.getFunctionConfig(ctx, { funcUrn: created.id });
    assert.equal(live.custom_image?.image, "swr.eu-de.otc.t-systems.com/org/img:2");
    assert.equal((await fn.diff(created.id, updated, news)).changes, false);
  });

  it("3: maxInstanceNum is strategy_config.concurrency: one value, stable over repeated updates", async () => {
    const bad = await failures(fn, { ...validFunction("d3"), concurrency: 20, maxInstanceNum: 50 });
    assert.ok(
      bad.some((f) => f.startsWith("concurrency: is the same setting as maxInstanceNum")),
      bad.join("; "),
    );
    const inputs = await checked(fn, { ...validFunction("d3-max"), maxInstanceNum: 50, concurrentNum: 2 });
    const created = await fn.create(inputs);
    assert.equal(
      (await fns.getFunctionConfig(ctx, { funcUrn: created.id })).strategy_config?.concurrency,
      50,
    );
    let outs = created.outs as Props;
    for (const memorySize of [512, 256]) {
      const news = await checked(fn, { ...inputs, memorySize }, inputs);
      outs = (await fn.update(created.id, outs, news)).outs as Props;
      const live = await fns.getFunctionConfig(ctx, { funcUrn: created.id });
      assert.equal(live.strategy_config?.concurrency, 50, `after memory ${memorySize}`);
      assert.equal(outs.maxInstanceNum, 50);
      const read = await fn.read(created.id, outs);
      assert.equal((await fn.diff(created.id, read.props as Props, news)).changes, false);
    }
  });

  it("4: logConfig round-trips through read, shows drift, and survives config writes when unmanaged", async () => {
    const logConfig = { groupId: "g1", groupName: "grp", streamId: "s1", streamName: "str" };
    const inputs = await checked(fn, { ...validFunction("d4-log"), logConfig });
    const created = await fn.create(inputs);
    const read = await fn.read(created.id, created.outs as Props);
    assert.deepEqual((read.props as Props).logConfig, logConfig);
    assert.equal((await fn.diff(created.id, read.props as Props, inputs)).changes, false);
    await control(emu, "POST", "drift", {
      action: "change",
      resourceId: created.id,
      patch: { log_config: { group_id: "g2", stream_id: "s2" } },
    });
    const drifted = await fn.read(created.id, read.props as Props);
    assert.equal(((drifted.props as Props).logConfig as Props).groupId, "g2");

    const other = await fn.create(await checked(fn, validFunction("d4-unmanaged")));
    await control(emu, "POST", "drift", {
      action: "change",
      resourceId: other.id,
      patch: { log_config: { group_id: "g9", stream_id: "s9" } },
    });
    const news = await checked(fn, { ...validFunction("d4-unmanaged"), memorySize: 512 });
    await fn.update(other.id, other.outs as Props, news);
    const live = await fns.getFunctionConfig(ctx, { funcUrn: other.id });
    assert.equal(live.memory_size, 512);
    assert.equal(live.log_group_id, "g9", "a log config set outside Pulumi is kept");
  });

  it("5: a ROCKETMQ trigger with accessKey/token is not replaced after a read; snake_case keys are rejected", async () => {
    const f = await fn.create(await checked(fn, validFunction("d5-trig")));
    const inputs = await checked(trig, {
      funcUrn: f.id,
      triggerTypeCode: "ROCKETMQ",
      eventData: { instanceId: "mq-1", topic: "t", accessKey: "ak", token: "tok", secretKey: "sk" },
    });
    const created = await trig.create(inputs);
    const outs = created.outs as Props;
    assert.deepEqual(outs.eventDataSecrets, { accessKey: "ak", token: "tok", secretKey: "sk" });
    const read = await trig.read(created.id, outs);
    const d = await trig.diff(created.id, read.props as Props, inputs);
    assert.equal(d.changes, false, JSON.stringify(d));
    const bad = await failures(trig, {
      funcUrn: f.id,
      triggerTypeCode: "ROCKETMQ",
      eventData: { instance_id: "mq-1" },
    });
    assert.deepEqual(bad, [
      "eventData.instance_id: event data keys are camelCase (sent as snake_case): write instanceId",
    ]);
  });

  it("6: a named Version is replaced delete-first, so the same name can be published again", async () => {
    const f = await fn.create(await checked(fn, validFunction("d6-ver")));
    const inputs = await checked(ver, { funcUrn: f.id, version: "v1", description: "first" });
    const created = await ver.create(inputs);
    const news = await checked(ver, { ...inputs, description: "second" }, inputs);
    const d = await ver.diff(created.id, created.outs as Props, news);
    assert.deepEqual(d.replaces, ["description"]);
    assert.equal(d.deleteBeforeReplace, true);
    // the engine's order for delete-before-replace: delete, then create
    await ver.delete(created.id, created.outs as Props);
    const replaced = await ver.create(news);
    assert.equal(replaced.id, `${f.id}:v1`);
    assert.equal((replaced.outs as Props).description, "second");
  });

  it("7: changing enterpriseProjectId updates the function in place", async () => {
    const inputs = await checked(fn, { ...validFunction("d7-eps"), enterpriseProjectId: "eps-a" });
    const created = await fn.create(inputs);
    const news = await checked(fn, { ...inputs, enterpriseProjectId: "eps-b" }, inputs);
    const d = await fn.diff(created.id, created.outs as Props, news);
    assert.equal(d.changes, true);
    assert.deepEqual(d.replaces, []);
    const updated = (await fn.update(created.id, created.outs as Props, news)).outs as Props;
    assert.equal(updated.enterpriseProjectId, "eps-b");
    assert.equal((await fns.getFunctionConfig(ctx, { funcUrn: created.id })).enterprise_project_id, "eps-b");
  });

  it("8: a dependency upgrade finishes when a published version pins the old package (warned, left in the cloud)", async () => {
    const v1 = await dep.create(
      await checked(dep, { name: "d8-dep", runtime: "Python3.9", fileBase64: emptyZipBase64 }),
    );
    const v1Outs = v1.outs as Props;
    const inputs = await checked(fn, {
      ...validFunction("d8-fn"),
      dependVersionList: [String(v1Outs.versionId)],
    });
    const f = await fn.create(inputs);
    await ver.create(await checked(ver, { funcUrn: f.id, version: "pinned" }));
    // while latest still uses it, deleting it is a real error naming the function
    await assert.rejects(dep.delete(v1.id, v1Outs), (err: Error) => {
      assert.match(err.message, /still used by function .*d8-fn/);
      return true;
    });
    const v2 = await dep.create(
      await checked(dep, {
        name: "d8-dep",
        runtime: "Python3.9",
        fileBase64: emptyZipBase64,
        description: "v2",
      }),
    );
    const news = await checked(
      fn,
      { ...inputs, dependVersionList: [String((v2.outs as Props).versionId)] },
      inputs,
    );
    await fn.update(f.id, f.outs as Props, news);
    const warnings = await capturingWarnings(() => dep.delete(v1.id, v1Outs));
    assert.ok(
      warnings.some((w) => w.includes(v1.id) && /left in FunctionGraph/.test(w)),
      warnings.join("\n"),
    );
    const stillThere = await deps.getDependencyVersion(ctx, {
      dependId: String(v1Outs.dependencyId),
      version: Number(v1Outs.version),
    });
    assert.equal(stillThere.id, v1Outs.versionId, "the pinned package is left in the cloud");
  });

  it("9: check rejects maxInstanceNum above 1000", async () => {
    const bad = await failures(fn, { ...validFunction("d9"), maxInstanceNum: 1001 });
    assert.deepEqual(bad, ["maxInstanceNum: must be between -1 and 1000, got 1001"]);
  });

  it("10: additionalVersionWeights {} is no change on the next up, nor after a refresh", async () => {
    const f = await fn.create(await checked(fn, validFunction("d10-alias")));
    await ver.create(await checked(ver, { funcUrn: f.id, version: "v1" }));
    const inputs = await checked(alias, {
      funcUrn: f.id,
      name: "live",
      version: "v1",
      additionalVersionWeights: {},
    });
    const created = await alias.create(inputs);
    assert.equal((await alias.diff(created.id, created.outs as Props, inputs)).changes, false);
    const read = await alias.read(created.id, {});
    assert.equal((await alias.diff(created.id, read.props as Props, inputs)).changes, false);
    const live = await aliasesClient.getAlias(ctx, { funcUrn: f.id, name: "live" });
    assert.deepEqual(live.additional_version_weights ?? {}, {});
  });

  it("11: Function and Trigger take a timeouts input (checked, never a change, kept in state)", async () => {
    const inputs = await checked(fn, { ...validFunction("d11"), timeouts: { create: "5m" } });
    const created = await fn.create(inputs);
    assert.deepEqual((created.outs as Props).timeouts, { create: "5m" });
    const later = await checked(fn, { ...inputs, timeouts: { create: "10m" } }, inputs);
    assert.equal((await fn.diff(created.id, created.outs as Props, later)).changes, false);
    const tInputs = await checked(trig, {
      funcUrn: created.id,
      triggerTypeCode: "TIMER",
      eventData: { name: "tick", scheduleType: "Rate", schedule: "5m" },
      timeouts: { create: "2m", delete: "90s" },
    });
    const t = await trig.create(tInputs);
    assert.deepEqual((t.outs as Props).timeouts, { create: "2m", delete: "90s" });
    assert.deepEqual(await failures(trig, { ...tInputs, timeouts: { create: "soon" } }), [
      'timeouts.create: must be a duration such as "20m", "1h30m", "90s" or a number of minutes, got "soon"',
    ]);
    // the waits use it: a trigger stuck in a transitional state fails the update at its deadline
    await control(emu, "POST", "drift", {
      action: "change",
      resourceId: t.id,
      patch: { trigger_status: "CREATING" },
    });
    // (the 5-minute default would outlast this test's 60 s mocha timeout)
    await assert.rejects(
      trig.update(t.id, t.outs as Props, { ...tInputs, timeouts: { update: "300ms" } }),
      (err: Error) => {
        assert.equal(err.name, "WaitTimeoutError");
        assert.match(err.message, /CREATING/);
        return true;
      },
    );
    await trig.delete(t.id, t.outs as Props);
  });

  it("12: type is read back, so its drift shows (and replaces)", async () => {
    const inputs = await checked(fn, { ...validFunction("d12-type"), type: "v2" });
    const created = await fn.create(inputs);
    await control(emu, "POST", "drift", { action: "change", resourceId: created.id, patch: { type: "v1" } });
    const read = await fn.read(created.id, created.outs as Props);
    assert.equal((read.props as Props).type, "v1");
    assert.deepEqual((await fn.diff(created.id, read.props as Props, inputs)).replaces, ["type"]);
  });

  it("13: invoking a disabled function fails at once, saying it is disabled and why", async () => {
    const created = await fn.create(await checked(fn, { ...validFunction("d13-off"), maxInstanceNum: 0 }));
    const before = await requestCounts(emu);
    await assert.rejects(inv.create(await checked(inv, { funcUrn: created.id, event: {} })), (err: Error) => {
      assert.match(err.message, /function is disabled/);
      assert.match(err.message, /maxInstanceNum/);
      return true;
    });
    const after = await requestCounts(emu);
    assert.equal((after.InvokeFunction ?? 0) - (before.InvokeFunction ?? 0), 1, "not retried");
  });
  it("fields added to the table round-trip: created (or written after create), read back, updated in place", async () => {
    const inputs = await checked(fn, {
      ...validFunction("table-fields"),
      restoreHookHandler: "index.restore",
      restoreHookTimeout: 20,
      heartbeatHandler: "index.beat",
      enableClassIsolation: true,
      peeringCidr: "10.0.0.0/24",
      userDataEncryptKmsKeyId: "kms-1",
      codeEncryptKmsKeyId: "kms-2",
    });
    const created = await fn.create(inputs);
    const live = await fns.getFunctionConfig(ctx, { funcUrn: created.id });
    const wire = live as unknown as Record<string, unknown>;
    assert.equal(wire.restore_hook_timeout, 20);
    assert.equal(wire.enable_class_isolation, true);
    assert.equal(wire.peering_cidr, "10.0.0.0/24");
    assert.equal(live.user_data_encrypt_kms_key_id, "kms-1");
    assert.equal(live.code_encrypt_kms_key_id, "kms-2");
    const read = await fn.read(created.id, created.outs as Props);
    assert.equal((await fn.diff(created.id, read.props as Props, inputs)).changes, false);
    const news = await checked(fn, { ...inputs, peeringCidr: "10.0.1.0/24" }, inputs);
    const d = await fn.diff(created.id, read.props as Props, news);
    assert.deepEqual([d.changes, d.replaces], [true, []]);
    await fn.update(created.id, read.props as Props, news);
    const after = (await fns.getFunctionConfig(ctx, { funcUrn: created.id })) as unknown as Record<
      string,
      unknown
    >;
    assert.equal(after.peering_cidr, "10.0.1.0/24");
    assert.equal(after.restore_hook_timeout, 20, "the other table fields are kept");
    const rekeyed = await checked(fn, { ...inputs, codeEncryptKmsKeyId: "kms-3" }, inputs);
    assert.deepEqual((await fn.diff(created.id, read.props as Props, rekeyed)).replaces, [
      "codeEncryptKmsKeyId",
    ]);
  });
});
