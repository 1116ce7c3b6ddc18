import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { after, before, describe, it } from "mocha";
import type { RunningEmulator } from "../../../emulator";
import type { Props, ResourceHandler } from "../../../provider/handler";
import type { ClientContext } from "../../../sdk/core/client";
import { unqualifiedUrn } from "../../../sdk/functiongraph/clients/common";
import * as fns from "../../../sdk/functiongraph/clients/functions";
import * as triggersClient from "../../../sdk/functiongraph/clients/triggers";
import * as versionsClient from "../../../sdk/functiongraph/clients/versions";
import {
  control,
  functionGraphRequestCount,
  startTestEmulator,
  tokenContext,
  zipWith,
} from "../../sdk/functiongraph/clients/helpers";
import {
  badAliasCases,
  badDependencyCases,
  badFunctionCases,
  badInvocationCases,
  badTriggerCases,
  badVersionCases,
  emptyZipBase64,
  patched,
  validFunction,
} from "./cases";
import { akskConfig, failOnce, handler, tokenConfig, useConfig } from "./helpers";

async function checked(h: ResourceHandler, news: Props, olds: Props = {}): Promise<Props> {
  const r = await h.check(olds, news);
  assert.deepEqual(r.failures ?? [], [], "check failures");
  return r.inputs as Props;
}

async function stats(emu: RunningEmulator): Promise<Record<string, number>> {
  const s = (await control(emu, "GET", "stats")) as { requests?: Record<string, Record<string, number>> };
  return s.requests?.functiongraph ?? {};
}

describe("FunctionGraph handlers against the emulator", function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let ctx: ClientContext;
  const fn = handler("Function");
  const dep = handler("DependencyVersion");
  const ver = handler("Version");
  const alias = handler("Alias");
  const trig = handler("Trigger");
  const inv = handler("Invocation");

  before(async () => {
    emu = await startTestEmulator();
    ctx = await tokenContext(emu);
    useConfig(akskConfig(emu));
  });
  after(async () => {
    await emu?.close();
  });

  describe("check sends no request", () => {
    it("rejects every bad input of every resource without a single request", async () => {
      const urn = `urn:fss:eu-de:${emu.functiongraph.projectId}:function:default:x`;
      const before = await functionGraphRequestCount(emu);
      const suites: [ResourceHandler, Props, { patch: Props; property: string }[]][] = [
        [fn, validFunction(), [...badFunctionCases]],
        [ver, { funcUrn: urn, version: "v1" }, badVersionCases(urn)],
        [alias, { funcUrn: urn, name: "live", version: "v1" }, badAliasCases(urn)],
        [
          trig,
          {
            funcUrn: urn,
            triggerTypeCode: "TIMER",
            eventData: { name: "t", scheduleType: "Rate", schedule: "5m" },
          },
          badTriggerCases(),
        ],
        [dep, { name: "d1", runtime: "Python3.9", fileBase64: emptyZipBase64 }, [...badDependencyCases]],
        [inv, { funcUrn: urn, event: {} }, badInvocationCases(urn)],
      ];
      let rejected = 0;
      for (const [h, valid, cases] of suites) {
        assert.ok(cases.length >= 10);
        for (const c of cases) {
          const r = await h.check({}, patched(valid, c.patch));
          assert.ok(
            r.failures?.some((f) => f.property === c.property),
            `${c.property}: ${JSON.stringify(r.failures)}`,
          );
          rejected++;
        }
      }
      assert.ok(rejected >= 60);
      assert.equal(await functionGraphRequestCount(emu), before, "no request was sent");
    });
  });

  describe("Function", () => {
    let id = "";
    let inputs: Props = {};
    let outs: Props = {};

    it("creates with max instances, and reads back without a diff", async () => {
      inputs = await checked(fn, {
        ...validFunction("fn-life"),
        maxInstanceNum: 20,
        reservedInstanceCount: 2,
        userData: { A: "1" },
        tags: { team: "x" },
      });
      const created = await fn.create(inputs);
      id = created.id;
      outs = created.outs as Props;
      assert.match(id, /^urn:fss:eu-de:[0-9a-f]+:function:default:fn-life$/);
      assert.equal(outs.funcUrn, id);
      assert.equal(outs.memorySize, 256);
      assert.equal(outs.maxInstanceNum, 20);
      assert.deepEqual(outs.tags, { team: "x" });
      assert.equal(outs.reservedInstanceCount, 2, "reserved instances read back");
      assert.equal(outs.codeBase64, undefined);
      const read = await fn.read(id, outs);
      assert.equal(read.id, id);
      assert.equal(
        (await fn.diff(id, read.props as Props, inputs)).changes,
        false,
        "no-change diff after refresh",
      );
    });

    it("a memory change is in place and keeps concurrency and max instances (config merge)", async () => {
      const news = await checked(fn, { ...inputs, memorySize: 512 }, inputs);
      const d = await fn.diff(id, outs, news);
      assert.equal(d.changes, true);
      assert.deepEqual(d.replaces, []);
      const s0 = await stats(emu);
      const updated = await fn.update(id, outs, news);
      outs = updated.outs as Props;
      inputs = news;
      const live = await fns.getFunctionConfig(ctx, { funcUrn: id });
      assert.equal(live.memory_size, 512);
      assert.equal(live.strategy_config?.concurrency, 20, "max instances kept");
      assert.equal(live.user_data, '{"A":"1"}', "env vars kept");
      const s1 = await stats(emu);
      assert.equal(
        (s1.UpdateFunctionCode ?? 0) - (s0.UpdateFunctionCode ?? 0),
        0,
        "no code write for a config change",
      );
    });

    it("a runtime change is a replacement (delete first, same name)", async () => {
      const news = await checked(fn, { ...inputs, runtime: "Python3.10" }, inputs);
      const d = await fn.diff(id, outs, news);
      assert.deepEqual(d.replaces, ["runtime"]);
      assert.equal(d.deleteBeforeReplace, true);
    });

    it("refresh shows drift made behind our back, and the next update converges", async () => {
      await control(emu, "POST", "drift", { action: "change", resourceId: id, patch: { memory_size: 1024 } });
      const read = await fn.read(id, outs);
      assert.equal((read.props as Props).memorySize, 1024);
      const d = await fn.diff(id, read.props as Props, inputs);
      assert.equal(d.changes, true);
      outs = (await fn.update(id, read.props as Props, inputs)).outs as Props;
      assert.equal((await fns.getFunctionConfig(ctx, { funcUrn: id })).memory_size, 512);
    });

    it("a dependency-only change succeeds (the code is resent)", async () => {
      const d = await dep.create(
        await checked(dep, { name: "fn-life-deps", runtime: "Python3.9", fileBase64: emptyZipBase64 }),
      );
      const versionId = String((d.outs as Props).versionId);
      const news = await checked(fn, { ...inputs, dependVersionList: [versionId] }, inputs);
      const plan = await fn.diff(id, outs, news);
      assert.equal(plan.changes, true);
      outs = (await fn.update(id, outs, news)).outs as Props;
      inputs = news;
      assert.deepEqual((await fns.getFunctionCode(ctx, { funcUrn: id })).depend_version_list, [versionId]);
      assert.deepEqual(outs.dependVersionList, [versionId]);
      // and removing all dependencies sends an explicit empty list
      const none = await checked(fn, { ...inputs, dependVersionList: [] }, inputs);
      outs = (await fn.update(id, outs, none)).outs as Props;
      inputs = none;
      assert.deepEqual((await fns.getFunctionCode(ctx, { funcUrn: id })).depend_version_list ?? [], []);
    });

    it("static get reads every setting from the id alone", async () => {
      const r = await fn.read(id, {});
      const p = r.props as Props;
      assert.equal(p.funcUrn, id);
      assert.equal(p.memorySize, 512);
      assert.equal(p.maxInstanceNum, 20);
      assert.deepEqual(p.userData, { A: "1" });
      assert.equal(p.reservedInstanceCount, 2);
      assert.deepEqual(p.tags, { team: "x" });
    });

    it("deletes, then reads as gone, and deleting again succeeds", async () => {
      await fn.delete(id, outs);
      assert.equal((await fn.read(id, outs)).id, "");
      await fn.delete(id, outs);
    });
  });

  describe("Function code sources", () => {
    it("detects a change of a local zip file and uploads it", async () => {
      const dir = mkdtempSync(join(tmpdir(), "fg-zip-"));
      const path = join(dir, "code.zip");
      writeFileSync(path, zipWith("one"));
      const base: Props = { ...validFunction("fn-file"), codePath: path };
      delete base.inlineCode;
      const inputs = await checked(fn, base);
      const created = await fn.create(inputs);
      const digest1 = (created.outs as Props).digest;
      assert.equal(
        (await fn.diff(created.id, created.outs as Props, await checked(fn, base, inputs))).changes,
        false,
      );
      writeFileSync(path, zipWith("two"));
      const news = await checked(fn, base, inputs);
      const d = await fn.diff(created.id, created.outs as Props, news);
      assert.equal(d.changes, true);
      assert.deepEqual(d.replaces, []);
      const updated = await fn.update(created.id, created.outs as Props, news);
      assert.notEqual((updated.outs as Props).digest, digest1, "the new code was uploaded");
      await fn.delete(created.id, updated.outs as Props);
    });

    it("detects a new version of OBS-hosted code through codeVersion", async () => {
      const base: Props = {
        ...validFunction("fn-obs"),
        codeUrl: "https://bucket.obs.eu-de.otc.t-systems.com/code.zip",
        codeVersion: "etag-1",
      };
      delete base.inlineCode;
      const inputs = await checked(fn, base);
      const created = await fn.create(inputs);
      const news = await checked(fn, { ...base, codeVersion: "etag-2" }, inputs);
      const d = await fn.diff(created.id, created.outs as Props, news);
      assert.equal(d.changes, true);
      const s0 = await stats(emu);
      await fn.update(created.id, created.outs as Props, news);
      const s1 = await stats(emu);
      assert.equal((s1.UpdateFunctionCode ?? 0) - (s0.UpdateFunctionCode ?? 0), 1);
      await fn.delete(created.id, created.outs as Props);
    });

    it("notices code replaced behind our back (digest drift) and re-uploads ours", async () => {
      const inputs = await checked(fn, validFunction("fn-codedrift"));
      const created = await fn.create(inputs);
      await fns.updateFunctionCode(ctx, {
        funcUrn: created.id,
        body: { code_type: "inline", func_code: { file: Buffer.from("evil = 1").toString("base64") } },
      });
      const read = await fn.read(created.id, created.outs as Props);
      assert.match(String((read.props as Props).codeHash), /^drift:/);
      assert.equal((await fn.diff(created.id, read.props as Props, inputs)).changes, true);
      await fn.delete(created.id, created.outs as Props);
    });
  });

  describe("Function: more sources and secrets", () => {
    it("takes the code from a pulumi FileAsset and hashes its bytes", async () => {
      const dir = mkdtempSync(join(tmpdir(), "fg-asset-"));
      writeFileSync(join(dir, "a.zip"), zipWith("asset"));
      const base: Props = {
        ...validFunction("fn-asset"),
        codeAsset: new pulumi.asset.FileAsset(join(dir, "a.zip")),
      };
      delete base.inlineCode;
      const inputs = await checked(fn, base);
      assert.equal(inputs.codeType, "zip");
      const created = await fn.create(inputs);
      assert.equal((created.outs as Props).codeType, "zip");
      assert.ok(Number((created.outs as Props).codeSize) > 0);
      await fn.delete(created.id, created.outs as Props);
    });

    it("deploys a custom image with the '-' handler", async () => {
      const base: Props = {
        ...validFunction("fn-image"),
        runtime: "Custom Image",
        customImage: { image: "swr.eu-de.otc.t-systems.com/org/img:1" },
      };
      delete base.inlineCode;
      delete base.handler;
      const inputs = await checked(fn, base);
      const created = await fn.create(inputs);
      assert.equal((created.outs as Props).codeType, "Custom-Image-Swr");
      assert.equal((created.outs as Props).handler, "-");
      assert.equal(
        (await fn.diff(created.id, (await fn.read(created.id, created.outs as Props)).props as Props, inputs))
          .changes,
        false,
      );
      await fn.delete(created.id, created.outs as Props);
    });

    it("encrypted environment variables (blank on read) never show as drift", async () => {
      const inputs = await checked(fn, {
        ...validFunction("fn-secret-env"),
        userData: { A: "1" },
        encryptedUserData: { TOKEN: "s3cret" },
      });
      const created = await fn.create(inputs);
      const live = await fns.getFunctionConfig(ctx, { funcUrn: created.id });
      assert.ok(!String(live.encrypted_user_data).includes("s3cret"), "the service blanks the values");
      const read = await fn.read(created.id, created.outs as Props);
      assert.deepEqual((read.props as Props).encryptedUserData, { TOKEN: "s3cret" });
      assert.equal((await fn.diff(created.id, read.props as Props, inputs)).changes, false);
      await fn.delete(created.id, created.outs as Props);
    });
  });

  describe("DependencyVersion from OBS", () => {
    it("creates from an OBS link, keeps the link as given and reports where the service stored it", async () => {
      const link = "https://bucket.obs.eu-de.otc.t-systems.com/deps/libs.zip";
      const inputs = await checked(dep, { name: "dv-obs", runtime: "Python3.9", link });
      const created = await dep.create(inputs);
      const outs = created.outs as Props;
      assert.equal(outs.link, link);
      assert.ok(outs.versionId);
      assert.equal(
        (await dep.diff(created.id, (await dep.read(created.id, outs)).props as Props, inputs)).changes,
        false,
      );
      await dep.delete(created.id, outs);
    });
  });

  describe("Function adoption", () => {
    it("adopts an existing function by URN and converges it on the inputs", async () => {
      const existing = await fns.createFunction(ctx, {
        func_name: "fn-adopt",
        package: "default",
        runtime: "Python3.9",
        handler: "index.handler",
        memory_size: 128,
        timeout: 10,
        code_type: "inline",
        func_code: { file: Buffer.from("a = 1").toString("base64") },
        strategy_config: { concurrency: 33 },
      });
      const urn = unqualifiedUrn(existing.func_urn);
      const inputs = await checked(fn, { ...validFunction("fn-adopt"), adoptId: urn });
      const created = await fn.create(inputs);
      assert.equal(created.id, urn);
      const live = await fns.getFunctionConfig(ctx, { funcUrn: urn });
      assert.equal(live.memory_size, 256);
      assert.equal(live.timeout, 30);
      assert.equal(live.strategy_config?.concurrency, 33, "unmanaged settings survive adoption");
      assert.equal((await fn.diff(created.id, created.outs as Props, inputs)).changes, false);
      await fn.delete(created.id, created.outs as Props);
    });
  });

  describe("Function name conflicts", () => {
    it("creating over an existing name fails with FSS.1061 and tells how to adopt it", async () => {
      const first = await fn.create(await checked(fn, validFunction("fn-dup")));
      const err = await fn.create(await checked(fn, validFunction("fn-dup"))).catch((e: unknown) => e);
      assert.match(String((err as Error).message), new RegExp(`adoptId.*${first.id}`));
      await fn.delete(first.id, first.outs as Props);
    });
  });

  describe("Function with IAM token authentication", () => {
    it("creates, reads and deletes with a token instead of AK/SK", async () => {
      useConfig(tokenConfig(emu));
      try {
        const inputs = await checked(fn, validFunction("fn-token"));
        const created = await fn.create(inputs);
        assert.equal((await fn.read(created.id, created.outs as Props)).id, created.id);
        await fn.delete(created.id, created.outs as Props);
        assert.equal((await fn.read(created.id, created.outs as Props)).id, "");
      } finally {
        useConfig(akskConfig(emu));
      }
    });
  });

  describe("DependencyVersion", () => {
    it("creates, reads, diffs, replaces on change, refreshes drift, deletes and adopts", async () => {
      const inputs = await checked(dep, {
        name: "dv-life",
        runtime: "Python3.9",
        fileBase64: emptyZipBase64,
        description: "one",
      });
      const created = await dep.create(inputs);
      const outs = created.outs as Props;
      assert.match(created.id, /^[^/]+\/1$/);
      assert.notEqual(outs.versionId, outs.dependencyId);
      assert.equal(created.id, `${String(outs.dependencyId)}/${String(outs.version)}`);
      const read = await dep.read(created.id, outs);
      assert.equal((await dep.diff(created.id, read.props as Props, inputs)).changes, false);
      const d = await dep.diff(created.id, outs, await checked(dep, { ...inputs, description: "two" }));
      assert.deepEqual(d.replaces, ["description"]);
      // adopt by id
      const adopted = await dep.create(await checked(dep, { ...inputs, adoptId: created.id }));
      assert.equal(adopted.id, created.id);
      // drift: deleted behind our back
      await control(emu, "POST", "drift", { action: "delete", resourceId: String(outs.versionId) });
      assert.equal((await dep.read(created.id, outs)).id, "");
      await dep.delete(created.id, outs);
    });

    it("takes the package from a local file", async () => {
      const dir = mkdtempSync(join(tmpdir(), "fg-dep-"));
      writeFileSync(join(dir, "d.zip"), Buffer.from(emptyZipBase64, "base64"));
      const created = await dep.create(
        await checked(dep, { name: "dv-file", runtime: "Python3.9", filePath: join(dir, "d.zip") }),
      );
      assert.ok((created.outs as Props).versionId);
      await dep.delete(created.id, created.outs as Props);
    });
  });

  describe("Version and Alias", () => {
    let funcUrn = "";
    before(async () => {
      const created = await fn.create(await checked(fn, validFunction("fn-va")));
      funcUrn = created.id;
    });

    it("Version: publishes, reads, replaces on change, reuses on FSS.1016, deletes only the version, adopts", async () => {
      const inputs = await checked(ver, { funcUrn, version: "v1", description: "first" });
      const created = await ver.create(inputs);
      assert.equal(created.id, `${funcUrn}:v1`);
      const outs = created.outs as Props;
      assert.equal(
        (await ver.diff(created.id, (await ver.read(created.id, outs)).props as Props, inputs)).changes,
        false,
      );
      assert.deepEqual(
        (await ver.diff(created.id, outs, await checked(ver, { ...inputs, description: "x" }))).replaces,
        ["description"],
      );
      // nothing changed since v1: an unnamed publish reuses v1 and will not delete it
      const reused = await ver.create(await checked(ver, { funcUrn }));
      assert.equal(reused.id, `${funcUrn}:v1`);
      assert.equal((reused.outs as Props).deleteOnDestroy, false);
      await ver.delete(reused.id, reused.outs as Props);
      assert.ok(
        await versionsClient.findVersion(ctx, { funcUrn, version: "v1" }),
        "a reused version is left alone",
      );
      // an explicit other name with unchanged code fails with a clear message
      await assert.rejects(
        ver.create(await checked(ver, { funcUrn, version: "v9" })),
        /FSS\.1016|already holds/,
      );
      // adopt by id
      const adopted = await ver.create(
        await checked(ver, { funcUrn, version: "v1", adoptId: `${funcUrn}:v1` }),
      );
      assert.equal(adopted.id, created.id);
      await ver.delete(created.id, outs);
      assert.equal((await ver.read(created.id, outs)).id, "", "gone after delete");
      assert.ok(await fns.getFunctionConfig(ctx, { funcUrn }), "the function survives a version delete");
    });

    it("Alias: weights round-trip, update in place, replace on rename, drift, delete only the alias, adopt", async () => {
      await fns.updateFunctionCode(ctx, {
        funcUrn,
        body: { code_type: "inline", func_code: { file: Buffer.from("a = 1").toString("base64") } },
      });
      await versionsClient.publishVersion(ctx, { funcUrn, body: { version: "a1" } });
      await fns.updateFunctionCode(ctx, {
        funcUrn,
        body: { code_type: "inline", func_code: { file: Buffer.from("b = 2").toString("base64") } },
      });
      await versionsClient.publishVersion(ctx, { funcUrn, body: { version: "a2" } });
      const inputs = await checked(alias, {
        funcUrn,
        name: "live",
        version: "a1",
        additionalVersionWeights: { a2: 25 },
      });
      const created = await alias.create(inputs);
      const outs = created.outs as Props;
      assert.equal(created.id, `${funcUrn}/live`);
      assert.deepEqual(outs.additionalVersionWeights, { a2: 25 });
      const read = await alias.read(created.id, outs);
      assert.deepEqual((read.props as Props).additionalVersionWeights, { a2: 25 }, "weights round-trip");
      assert.equal((await alias.diff(created.id, read.props as Props, inputs)).changes, false);
      const news = await checked(
        alias,
        { ...inputs, additionalVersionWeights: { a2: 60 }, description: "canary" },
        inputs,
      );
      const d = await alias.diff(created.id, outs, news);
      assert.deepEqual(d.replaces, []);
      const updated = (await alias.update(created.id, outs, news)).outs as Props;
      assert.deepEqual(updated.additionalVersionWeights, { a2: 60 });
      assert.deepEqual(
        (await alias.diff(created.id, updated, await checked(alias, { ...news, name: "live2" }))).replaces,
        ["name"],
      );
      // strategy instead of weights
      const strategy = await checked(alias, {
        funcUrn,
        name: "live",
        version: "a1",
        additionalVersionStrategy: {
          a2: { combineType: "and", rules: [{ ruleType: "header", param: "x-canary", op: "=", value: "1" }] },
        },
      });
      const withStrategy = (await alias.update(created.id, updated, strategy)).outs as Props;
      assert.deepEqual(withStrategy.additionalVersionStrategy, strategy.additionalVersionStrategy);
      assert.equal(withStrategy.additionalVersionWeights, undefined, "weights cleared explicitly");
      // drift
      await control(emu, "POST", "drift", {
        action: "change",
        resourceId: created.id,
        patch: { version: "a2" },
      });
      assert.equal(((await alias.read(created.id, withStrategy)).props as Props).version, "a2");
      // adopt
      const adopted = await alias.create(await checked(alias, { ...strategy, adoptId: created.id }));
      assert.equal(adopted.id, created.id);
      assert.equal((adopted.outs as Props).version, "a1", "adoption converges the alias");
      await alias.delete(created.id, withStrategy);
      assert.equal((await alias.read(created.id, withStrategy)).id, "");
      assert.ok(
        await versionsClient.findVersion(ctx, { funcUrn, version: "a1" }),
        "versions survive an alias delete",
      );
      assert.ok(await fns.getFunctionConfig(ctx, { funcUrn }), "the function survives an alias delete");
      await alias.delete(created.id, withStrategy);
    });

    it("Trigger: creates, reads, status in place, event data replaces, secrets kept, drift, delete waits, adopt", async () => {
      const inputs = await checked(trig, {
        funcUrn,
        triggerTypeCode: "TIMER",
        eventData: { name: "tick", scheduleType: "Rate", schedule: "5m", userEvent: "hi" },
      });
      const created = await trig.create(inputs);
      const outs = created.outs as Props;
      assert.match(created.id, new RegExp(`^${funcUrn}/TIMER/.+`));
      assert.equal(outs.status, "ACTIVE");
      const read = await trig.read(created.id, outs);
      assert.equal((await trig.diff(created.id, read.props as Props, inputs)).changes, false);
      const disabled = await checked(trig, { ...inputs, status: "DISABLED" }, inputs);
      const d = await trig.diff(created.id, outs, disabled);
      assert.equal(d.changes, true);
      assert.deepEqual(d.replaces, []);
      const updated = (await trig.update(created.id, outs, disabled)).outs as Props;
      assert.equal(updated.status, "DISABLED");
      const rescheduled = await checked(trig, {
        ...disabled,
        eventData: { name: "tick", scheduleType: "Rate", schedule: "10m", userEvent: "hi" },
      });
      assert.deepEqual((await trig.diff(created.id, updated, rescheduled)).replaces, ["eventData"]);
      // drift: status flipped behind our back
      const ref = { funcUrn, triggerTypeCode: "TIMER", triggerId: String(updated.triggerId) };
      await triggersClient.updateTrigger(ctx, { ...ref, body: { trigger_status: "ACTIVE" } });
      const drifted = await trig.read(created.id, updated);
      assert.equal((drifted.props as Props).status, "ACTIVE");
      assert.equal((await trig.diff(created.id, drifted.props as Props, disabled)).changes, true);
      // adopt
      const adopted = await trig.create(await checked(trig, { ...disabled, adoptId: ref.triggerId }));
      assert.equal(adopted.id, created.id);
      assert.equal((adopted.outs as Props).status, "DISABLED");
      await trig.delete(created.id, updated);
      assert.equal((await trig.read(created.id, updated)).id, "");
      await trig.delete(created.id, updated);
    });

    it("Trigger: write-only passwords are kept from inputs, secret, and never drift", async () => {
      const inputs = await checked(trig, {
        funcUrn,
        triggerTypeCode: "KAFKA",
        status: "ACTIVE",
        eventData: {
          instanceId: "kafka-1",
          topicIds: ["t1"],
          batchSize: 100,
          kafkaUser: "u",
          kafkaPassword: "s3cret-pw",
        },
      });
      const created = await trig.create(inputs);
      const outs = created.outs as Props;
      assert.deepEqual(outs.eventDataSecrets, { kafkaPassword: "s3cret-pw" });
      assert.equal((outs.eventData as Props).kafkaPassword, undefined);
      const read = await trig.read(created.id, outs);
      assert.deepEqual((read.props as Props).eventDataSecrets, { kafkaPassword: "s3cret-pw" });
      assert.equal(
        (await trig.diff(created.id, read.props as Props, inputs)).changes,
        false,
        "no perpetual diff on passwords",
      );
      const changedPw = await checked(trig, {
        ...inputs,
        eventData: { ...(inputs.eventData as Props), kafkaPassword: "other" },
      });
      assert.deepEqual((await trig.diff(created.id, read.props as Props, changedPw)).replaces, [
        "eventDataSecrets",
      ]);
      await trig.delete(created.id, outs);
    });

    it("Invocation: sync result as output, re-invokes on change, async request id, delete forgets", async () => {
      const inputs = await checked(inv, { funcUrn: `${funcUrn}:latest`, event: { n: 1 } });
      const created = await inv.create(inputs);
      const outs = created.outs as Props;
      assert.deepEqual(outs.resultJson, { n: 1 });
      assert.equal(
        (await inv.diff(created.id, (await inv.read(created.id, outs)).props as Props, inputs)).changes,
        false,
      );
      const news = await checked(inv, { ...inputs, event: { n: 2 } }, inputs);
      const d = await inv.diff(created.id, outs, news);
      assert.equal(d.changes, true);
      assert.deepEqual(d.replaces, []);
      assert.deepEqual(((await inv.update(created.id, outs, news)).outs as Props).resultJson, { n: 2 });
      const asyncOne = await inv.create(await checked(inv, { funcUrn, mode: "async", event: { q: 1 } }));
      assert.ok((asyncOne.outs as Props).requestId);
      const s0 = await functionGraphRequestCount(emu);
      await inv.delete(created.id, outs);
      assert.equal(await functionGraphRequestCount(emu), s0, "delete sends nothing");
    });

    after(async () => {
      await fn.delete(funcUrn, {});
      assert.equal((await fn.read(funcUrn, {})).id, "");
    });
  });

  describe("create and an immediate read agree (refresh of an untouched resource shows nothing)", () => {
    it("every resource's create outputs equal the outputs of a read right after it", async () => {
      // Each resource is read right after its own create, before anything else touches it.
      const track = async (name: string, h: ResourceHandler, news: Props) => {
        const r = await h.create(await checked(h, news));
        const read = await h.read(r.id, r.outs as Props);
        assert.equal(read.id, r.id, name);
        assert.deepEqual(read.props, r.outs, `${name}: create and read outputs differ`);
        return r;
      };
      const f = await track("Function", fn, {
        ...validFunction("fn-same"),
        concurrentNum: 5,
        maxInstanceNum: 3,
        reservedInstanceCount: 1,
        userData: { A: "1" },
        encryptedUserData: { S: "x" },
        tags: { t: "1" },
      });
      await track("DependencyVersion (zip)", dep, {
        name: "dv-same",
        runtime: "Python3.9",
        fileBase64: emptyZipBase64,
        description: "d",
      });
      await track("DependencyVersion (OBS)", dep, {
        name: "dv-same-obs",
        runtime: "Python3.9",
        link: "https://bucket.obs.eu-de.otc.t-systems.com/deps/same.zip",
      });
      await track("Version", ver, { funcUrn: f.id, version: "s1", description: "first" });
      await fns.updateFunctionCode(ctx, {
        funcUrn: f.id,
        body: { code_type: "inline", func_code: { file: Buffer.from("s = 2").toString("base64") } },
      });
      const unnamed = await track("Version (unnamed)", ver, { funcUrn: f.id });
      const s2 = String((unnamed.outs as Props).version);
      await track("Alias (weights)", alias, {
        funcUrn: f.id,
        name: "same",
        version: "s1",
        additionalVersionWeights: { [s2]: 10 },
      });
      await track("Alias (strategy)", alias, {
        funcUrn: f.id,
        name: "same-rule",
        version: "s1",
        additionalVersionStrategy: {
          [s2]: { combineType: "or", rules: [{ ruleType: "header", param: "x-v", op: "=", value: "2" }] },
        },
      });
      await track("Trigger", trig, {
        funcUrn: f.id,
        triggerTypeCode: "KAFKA",
        eventData: { instanceId: "k", topicIds: ["t"], batchSize: 10, kafkaUser: "u", kafkaPassword: "p" },
      });
      await track("Invocation", inv, { funcUrn: f.id, event: { same: true } });
      await fn.delete(f.id, f.outs as Props);
    });
  });

  describe("partial failures", () => {
    it("a failure after the function exists raises a partial failure with id, outputs and __provider", async () => {
      await failOnce(emu, "UpdateFunctionMaxInstanceConfig", { message: "boom" });
      const inputs = {
        ...(await checked(fn, { ...validFunction("fn-partial"), maxInstanceNum: 5 })),
        __provider: "stub-text",
      };
      const err = (await fn.create(inputs).catch((e: unknown) => e)) as {
        id?: string;
        properties?: Props;
        message: string;
      };
      await control(emu, "DELETE", "faults");
      assert.match(String(err.id), /function:default:fn-partial$/);
      assert.equal(err.properties?.__provider, "stub-text");
      assert.equal(err.properties?.funcUrn, err.id);
      assert.match(err.message, /boom|FSS\.0400/);
      await fn.delete(String(err.id), err.properties ?? {});
    });

    type Failure = { id?: string; properties?: Props; message: string };

    it("a Function create whose tag write fails records no tags, so the next update writes them", async () => {
      const inputs = {
        ...(await checked(fn, { ...validFunction("fn-tags-partial"), tags: { team: "y" } })),
        __provider: "stub-text",
      };
      await failOnce(emu, "CreateTags");
      const err = (await fn.create(inputs).catch((e: unknown) => e)) as Failure;
      await control(emu, "DELETE", "faults");
      assert.match(String(err.id), /function:default:fn-tags-partial$/);
      assert.deepEqual(err.properties?.tags, undefined, "the refused tags are not recorded as written");
      const recorded = err.properties ?? {};
      assert.equal((await fn.diff(String(err.id), recorded, inputs)).changes, true);
      const converged = (await fn.update(String(err.id), recorded, inputs)).outs as Props;
      assert.deepEqual(converged.tags, { team: "y" });
      assert.deepEqual(await fns.listTags(ctx, { funcUrn: String(err.id) }), [{ key: "team", value: "y" }]);
      await fn.delete(String(err.id), converged);
    });

    it("a Function update that fails after the config write records the new config and the old reserved instances, and the next update converges", async () => {
      const inputs = await checked(fn, {
        ...validFunction("fn-upd-partial"),
        maxInstanceNum: 5,
        reservedInstanceCount: 1,
      });
      const created = await fn.create(inputs);
      const news = {
        ...(await checked(
          fn,
          { ...inputs, memorySize: 512, maxInstanceNum: 7, reservedInstanceCount: 2 },
          inputs,
        )),
        __provider: "stub-text",
      };
      await failOnce(emu, "UpdateFunctionReservedInstancesCount");
      const err = (await fn
        .update(created.id, created.outs as Props, news)
        .catch((e: unknown) => e)) as Failure;
      await control(emu, "DELETE", "faults");
      assert.equal(err.id, created.id);
      assert.match(
        err.message,
        new RegExp(`resource ${created.id} exists but failed to initialize: .*refused`),
      );
      assert.equal(err.properties?.__provider, "stub-text");
      assert.equal(err.properties?.memorySize, 512, "the accepted config write is recorded");
      assert.equal(err.properties?.maxInstanceNum, 7, "max instances went with the config write");
      assert.equal(err.properties?.reservedInstanceCount, 1, "the refused write is not");
      assert.equal((await fns.getFunctionConfig(ctx, { funcUrn: created.id })).memory_size, 512);
      const recorded = err.properties ?? {};
      const d = await fn.diff(created.id, recorded, news);
      assert.equal(d.changes, true, "the missing write shows in the next diff");
      const s0 = await stats(emu);
      const converged = (await fn.update(created.id, recorded, news)).outs as Props;
      const s1 = await stats(emu);
      assert.equal(converged.reservedInstanceCount, 2);
      assert.equal(
        (await fns.getFunctionConfig(ctx, { funcUrn: created.id })).strategy_config?.concurrency,
        7,
      );
      assert.equal(
        (s1.UpdateFunctionConfig ?? 0) - (s0.UpdateFunctionConfig ?? 0),
        0,
        "only the missing write is repeated",
      );
      assert.equal((await fn.diff(created.id, converged, news)).changes, false);
      await fn.delete(created.id, converged);
    });

    it("a Function update whose config write fails after the code write records the new code hash and the old config", async () => {
      const inputs = await checked(fn, validFunction("fn-upd-code"));
      const created = await fn.create(inputs);
      const news: Props = {
        ...(await checked(fn, { ...inputs, inlineCode: "x = 2", memorySize: 1024 }, inputs)),
        __provider: "stub-text",
      };
      await failOnce(emu, "UpdateFunctionConfig");
      const err = (await fn
        .update(created.id, created.outs as Props, news)
        .catch((e: unknown) => e)) as Failure;
      await control(emu, "DELETE", "faults");
      assert.equal(err.id, created.id);
      assert.equal(err.properties?.codeHash, news.codeHash, "the accepted code write is recorded");
      assert.notEqual(
        err.properties?.digest,
        (created.outs as Props).digest,
        "the digest read back is the new one",
      );
      assert.equal(err.properties?.memorySize, 256, "the refused config write is not");
      const recorded = err.properties ?? {};
      const s0 = await stats(emu);
      const converged = (await fn.update(created.id, recorded, news)).outs as Props;
      const s1 = await stats(emu);
      assert.equal(converged.memorySize, 1024);
      assert.equal(
        (s1.UpdateFunctionCode ?? 0) - (s0.UpdateFunctionCode ?? 0),
        0,
        "the code is not sent again",
      );
      await fn.delete(created.id, converged);
    });

    it("a Function update that fails before any write is a plain error and changes nothing", async () => {
      const inputs = await checked(fn, validFunction("fn-upd-none"));
      const created = await fn.create(inputs);
      const news = await checked(fn, { ...inputs, inlineCode: "x = 3", memorySize: 512 }, inputs);
      await failOnce(emu, "UpdateFunctionCode");
      const err = (await fn
        .update(created.id, created.outs as Props, news)
        .catch((e: unknown) => e)) as Failure;
      await control(emu, "DELETE", "faults");
      assert.ok((err as unknown) instanceof Error, "the call failed");
      assert.equal(err.id, undefined, "no partial failure: nothing was accepted");
      assert.match(err.message, /UpdateFunctionCode refused/);
      assert.equal((await fns.getFunctionConfig(ctx, { funcUrn: created.id })).memory_size, 256);
      await fn.delete(created.id, created.outs as Props);
    });

    it("an Alias update whose read-back fails records the alias as written; a refused write is a plain error", async () => {
      const f = await fn.create(await checked(fn, validFunction("fn-alias-partial")));
      await versionsClient.publishVersion(ctx, { funcUrn: f.id, body: { version: "p1" } });
      await fns.updateFunctionCode(ctx, {
        funcUrn: f.id,
        body: { code_type: "inline", func_code: { file: Buffer.from("p = 2").toString("base64") } },
      });
      await versionsClient.publishVersion(ctx, { funcUrn: f.id, body: { version: "p2" } });
      const inputs = await checked(alias, { funcUrn: f.id, name: "live", version: "p1" });
      const created = await alias.create(inputs);
      const news = {
        ...(await checked(alias, { ...inputs, version: "p2", description: "next" }, inputs)),
        __provider: "stub-text",
      };
      await failOnce(emu, "UpdateVersionAlias");
      const plain = (await alias
        .update(created.id, created.outs as Props, news)
        .catch((e: unknown) => e)) as Failure;
      assert.equal(plain.id, undefined);
      await failOnce(emu, "ShowVersionAlias");
      const err = (await alias
        .update(created.id, created.outs as Props, news)
        .catch((e: unknown) => e)) as Failure;
      await control(emu, "DELETE", "faults");
      assert.equal(err.id, created.id);
      assert.equal(err.properties?.__provider, "stub-text");
      assert.equal(err.properties?.version, "p2");
      assert.equal(err.properties?.description, "next");
      assert.equal((await alias.diff(created.id, err.properties ?? {}, news)).changes, false);
      assert.equal(((await alias.read(created.id, err.properties ?? {})).props as Props).version, "p2");
      await fn.delete(f.id, f.outs as Props);
    });

    it("a Trigger update whose wait fails after the status write records the trigger read back, and the next update converges", async () => {
      const f = await fn.create(await checked(fn, validFunction("fn-trig-partial")));
      const inputs = await checked(trig, {
        funcUrn: f.id,
        triggerTypeCode: "TIMER",
        eventData: { name: "tp", scheduleType: "Rate", schedule: "5m" },
      });
      const created = await trig.create(inputs);
      const news = {
        ...(await checked(trig, { ...inputs, status: "DISABLED" }, inputs)),
        __provider: "stub-text",
      };
      // The update reads the trigger, waits for it to be settled (second read), writes the status, then
      // polls until it is DISABLED: that poll (third read) fails.
      await failOnce(emu, "ShowFunctionTrigger", { everyNth: 3 });
      const err = (await trig
        .update(created.id, created.outs as Props, news)
        .catch((e: unknown) => e)) as Failure;
      await control(emu, "DELETE", "faults");
      assert.equal(err.id, created.id);
      assert.equal(err.properties?.__provider, "stub-text");
      assert.equal(err.properties?.status, "DISABLED");
      const converged = (await trig.update(created.id, err.properties ?? {}, news)).outs as Props;
      assert.equal(converged.status, "DISABLED");
      assert.equal((await trig.diff(created.id, converged, news)).changes, false);
      await fn.delete(f.id, f.outs as Props);
    });
  });
});
