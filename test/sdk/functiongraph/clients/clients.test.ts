import { strict as assert } from "node:assert";
import { after, before, describe, it } from "mocha";
import type { ClientContext } from "../../../../sdk/core/client";
import { AuthenticationError, NotFoundError, ServiceError } from "../../../../sdk/core/errors";
import * as aliases from "../../../../sdk/functiongraph/clients/aliases";
import { pathParam, parseFunctionUrn, unqualifiedUrn } from "../../../../sdk/functiongraph/clients/common";
import * as deps from "../../../../sdk/functiongraph/clients/dependencies";
import * as fns from "../../../../sdk/functiongraph/clients/functions";
import * as invocations from "../../../../sdk/functiongraph/clients/invocations";
import * as triggers from "../../../../sdk/functiongraph/clients/triggers";
import * as versions from "../../../../sdk/functiongraph/clients/versions";
import type { RunningEmulator } from "../../../../emulator";
import { control, emptyZip, startTestEmulator, tokenContext } from "./helpers";

function inlineFunction(name: string): fns.ListFunctionsInput & Parameters<typeof fns.createFunction>[1] {
  return {
    func_name: name,
    package: "default",
    runtime: "Python3.9",
    handler: "index.handler",
    memory_size: 128,
    timeout: 30,
    code_type: "inline",
    func_code: { file: Buffer.from("def handler(e, c):\n    return e\n").toString("base64") },
  };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe("FunctionGraph clients against the emulator", function () {
  this.timeout(30_000);
  let emu: RunningEmulator;
  let ctx: ClientContext;

  before(async () => {
    emu = await startTestEmulator();
    ctx = await tokenContext(emu);
  });
  after(async () => {
    await emu?.close();
  });

  describe("common", () => {
    it("keeps ':' and '!' raw in path parameters and encodes the rest", () => {
      assert.equal(
        pathParam("urn:fss:eu-de:p:function:default:f:!a1"),
        "urn:fss:eu-de:p:function:default:f:!a1",
      );
      assert.equal(pathParam("a b/c"), "a%20b%2Fc");
      assert.throws(() => pathParam(""), TypeError);
    });
    it("parses and unqualifies function URNs", () => {
      const u = "urn:fss:eu-de:p:function:default:f";
      assert.equal(parseFunctionUrn(`${u}:latest`)?.qualifier, "latest");
      assert.equal(unqualifiedUrn(`${u}:!a1`), u);
      assert.equal(unqualifiedUrn(u), u);
      assert.equal(parseFunctionUrn("urn:fss:eu-de"), undefined);
    });
  });

  describe("functions", () => {
    it("creates, reads config and code by URN, and never gets code back", async () => {
      const created = await fns.createFunction(ctx, inlineFunction("cl-read"));
      assert.match(created.func_urn, /:latest$/);
      const urn = unqualifiedUrn(created.func_urn);
      const config = await fns.getFunctionConfig(ctx, { funcUrn: urn });
      assert.equal(config.memory_size, 128);
      const code = await fns.getFunctionCode(ctx, { funcUrn: urn });
      assert.equal(code.func_code?.file ?? "", "");
      assert.ok(code.digest);
    });

    it("lists across pages with marker/maxitems", async () => {
      for (let i = 0; i < 5; i++)
        await fns.createFunction(ctx, { ...inlineFunction(`cl-page-${i}`), package: "paging" });
      const all = await collect(fns.listFunctions(ctx, { packageName: "paging", pageSize: 2 }));
      assert.deepEqual(all.map((f) => f.func_name).sort(), [
        "cl-page-0",
        "cl-page-1",
        "cl-page-2",
        "cl-page-3",
        "cl-page-4",
      ]);
    });

    it("updates code with dependencies, config, max instances, reserved instances and tags", async () => {
      const urn = unqualifiedUrn((await fns.createFunction(ctx, inlineFunction("cl-update"))).func_urn);
      const dep = await deps.createDependencyVersion(ctx, {
        depend_type: "zip",
        depend_file: emptyZip.toString("base64"),
        runtime: "Python3.9",
        name: "cl-dep",
      });
      await fns.updateFunctionCode(ctx, {
        funcUrn: urn,
        body: {
          code_type: "inline",
          func_code: { file: Buffer.from("x = 1").toString("base64") },
          depend_version_list: [dep.id],
        },
      });
      assert.deepEqual((await fns.getFunctionCode(ctx, { funcUrn: urn })).depend_version_list, [dep.id]);
      const cur = await fns.getFunctionConfig(ctx, { funcUrn: urn });
      await fns.updateFunctionConfig(ctx, {
        funcUrn: urn,
        body: {
          func_name: cur.func_name,
          runtime: cur.runtime,
          handler: cur.handler,
          timeout: cur.timeout,
          memory_size: 512,
        },
      });
      assert.equal((await fns.getFunctionConfig(ctx, { funcUrn: urn })).memory_size, 512);
      await fns.updateMaxInstances(ctx, { funcUrn: urn, maxInstanceNum: 7 });
      assert.equal((await fns.getFunctionConfig(ctx, { funcUrn: urn })).strategy_config?.concurrency, 7);
      await fns.updateReservedInstances(ctx, { funcUrn: `${urn}:latest`, body: { count: 3 } });
      const reserved = await collect(fns.listReservedInstanceConfigs(ctx, { funcUrn: urn }));
      assert.deepEqual(
        reserved.map((r) => [r.qualifier_name, r.min_count]),
        [["latest", 3]],
      );
      await fns.createTags(ctx, { funcUrn: urn, tags: [{ key: "team", value: "a" }] });
      assert.deepEqual(await fns.listTags(ctx, { funcUrn: urn }), [{ key: "team", value: "a" }]);
      await fns.deleteTags(ctx, { funcUrn: urn, tags: [{ key: "team", value: "a" }] });
      assert.deepEqual(await fns.listTags(ctx, { funcUrn: urn }), []);
    });

    it("maps a missing function to NotFoundError carrying the service's error_code", async () => {
      const err = await fns
        .getFunctionConfig(ctx, {
          funcUrn: `urn:fss:eu-de:${emu.functiongraph.projectId}:function:default:nope`,
        })
        .catch((e: unknown) => e);
      assert.ok(err instanceof NotFoundError);
      assert.match(String((err as NotFoundError).code), /^FSS\./);
      assert.equal((err as NotFoundError).statusCode, 404);
    });
  });

  describe("versions and aliases", () => {
    it("publishes, lists, reports FSS.1016 when nothing changed, and deletes one version only", async () => {
      const urn = unqualifiedUrn((await fns.createFunction(ctx, inlineFunction("cl-ver"))).func_urn);
      const v1 = await versions.publishVersion(ctx, { funcUrn: urn, body: { version: "v1" } });
      assert.equal(v1.version, "v1");
      const again = await versions.publishVersion(ctx, { funcUrn: urn, body: {} }).catch((e: unknown) => e);
      assert.ok(again instanceof ServiceError);
      assert.equal((again as ServiceError).code, "FSS.1016");
      assert.ok(await versions.findVersion(ctx, { funcUrn: urn, version: "v1" }));
      await assert.rejects(versions.deleteVersion(ctx, { funcUrn: urn, version: "latest" }), TypeError);
      await versions.deleteVersion(ctx, { funcUrn: urn, version: "v1" });
      assert.equal(await versions.findVersion(ctx, { funcUrn: urn, version: "v1" }), undefined);
      assert.ok(await fns.getFunctionConfig(ctx, { funcUrn: urn }), "the function survives");
    });

    it("creates, lists (bare array), updates weights and deletes an alias", async () => {
      const urn = unqualifiedUrn((await fns.createFunction(ctx, inlineFunction("cl-alias"))).func_urn);
      await versions.publishVersion(ctx, { funcUrn: urn, body: { version: "v1" } });
      await fns.updateFunctionCode(ctx, {
        funcUrn: urn,
        body: { code_type: "inline", func_code: { file: Buffer.from("y = 2").toString("base64") } },
      });
      await versions.publishVersion(ctx, { funcUrn: urn, body: { version: "v2" } });
      await aliases.createAlias(ctx, { funcUrn: urn, body: { name: "live", version: "v1" } });
      assert.deepEqual(
        (await collect(aliases.listAliases(ctx, { funcUrn: urn }))).map((a) => a.name),
        ["live"],
      );
      await aliases.updateAlias(ctx, {
        funcUrn: urn,
        name: "live",
        body: { version: "v1", additional_version_weights: { v2: 30 } },
      });
      assert.deepEqual(
        (await aliases.getAlias(ctx, { funcUrn: urn, name: "live" })).additional_version_weights,
        { v2: 30 },
      );
      await aliases.deleteAlias(ctx, { funcUrn: urn, name: "live" });
      await assert.rejects(aliases.getAlias(ctx, { funcUrn: urn, name: "live" }), NotFoundError);
    });
  });

  describe("triggers", () => {
    /** A function with one timer trigger (every 3 minutes). */
    async function functionWithTimer(name: string): Promise<{ urn: string; t: { trigger_id: string } }> {
      const urn = unqualifiedUrn((await fns.createFunction(ctx, inlineFunction(name))).func_urn);
      const t = await triggers.createTrigger(ctx, {
        funcUrn: urn,
        body: {
          trigger_type_code: "TIMER",
          trigger_status: "ACTIVE",
          event_data: { name: "t1", schedule_type: "Rate", schedule: "3m" },
        },
      });
      return { urn, t };
    }

    it("creates, gets, lists; a missing trigger (500 FSS.0500) is NotFoundError without retry storms", async () => {
      const { urn, t } = await functionWithTimer("cl-trig");
      const ref = { funcUrn: urn, triggerTypeCode: "TIMER", triggerId: t.trigger_id };
      assert.equal((await triggers.getTrigger(ctx, ref)).trigger_id, t.trigger_id);
      assert.equal((await collect(triggers.listTriggers(ctx, { funcUrn: urn }))).length, 1);
      await triggers.updateTrigger(ctx, { ...ref, body: { trigger_status: "DISABLED" } });
      assert.equal((await triggers.getTrigger(ctx, ref)).trigger_status, "DISABLED");
      await triggers.deleteTrigger(ctx, ref);
      const before = (
        (await control(emu, "GET", "stats")) as { requests: { functiongraph: Record<string, number> } }
      ).requests.functiongraph;
      const err = await triggers.getTrigger(ctx, ref).catch((e: unknown) => e);
      const after = (
        (await control(emu, "GET", "stats")) as { requests: { functiongraph: Record<string, number> } }
      ).requests.functiongraph;
      assert.equal(
        (after.ShowFunctionTrigger ?? 0) - (before.ShowFunctionTrigger ?? 0),
        1,
        "the 500 is not retried",
      );
      assert.equal(
        (after.ListFunctionTriggers ?? 0) - (before.ListFunctionTriggers ?? 0),
        1,
        "one list settles it",
      );
      assert.ok(err instanceof NotFoundError, String(err));
      assert.equal((err as NotFoundError).code, "FSS.0500");
    });

    it("deleting a trigger of a deleted function (401 FSS.0401) is NotFoundError", async () => {
      const { urn, t } = await functionWithTimer("cl-trig-gone");
      await fns.deleteFunction(ctx, { funcUrn: urn });
      const err = await triggers
        .deleteTrigger(ctx, { funcUrn: urn, triggerTypeCode: "TIMER", triggerId: t.trigger_id })
        .catch((e: unknown) => e);
      assert.ok(err instanceof NotFoundError, String(err));
      assert.ok(!(err instanceof AuthenticationError));
    });
  });

  describe("dependencies", () => {
    it("creates versions under one dependency, lists, gets and deletes", async () => {
      const a = await deps.createDependencyVersion(ctx, {
        depend_type: "zip",
        depend_file: emptyZip.toString("base64"),
        runtime: "Python3.9",
        name: "cl-dep-v",
      });
      const b = await deps.createDependencyVersion(ctx, {
        depend_type: "zip",
        depend_file: emptyZip.toString("base64"),
        runtime: "Python3.9",
        name: "cl-dep-v",
      });
      assert.equal(a.dep_id, b.dep_id);
      assert.notEqual(a.id, b.id);
      const listed = await collect(deps.listDependencyVersions(ctx, { dependId: a.dep_id }));
      assert.deepEqual(listed.map((v) => v.version).sort(), [a.version, b.version].sort());
      assert.ok(
        (await collect(deps.listDependencies(ctx, { dependencyType: "private" }))).some(
          (d) => d.name === "cl-dep-v",
        ),
      );
      assert.equal(
        (await deps.getDependencyVersion(ctx, { dependId: a.dep_id, version: a.version })).id,
        a.id,
      );
      await deps.deleteDependencyVersion(ctx, { dependId: a.dep_id, version: a.version });
      await assert.rejects(
        deps.getDependencyVersion(ctx, { dependId: a.dep_id, version: a.version }),
        NotFoundError,
      );
    });
  });

  describe("invocations", () => {
    it("invokes synchronously (the emulator echoes the event) and asynchronously", async () => {
      const urn = unqualifiedUrn((await fns.createFunction(ctx, inlineFunction("cl-inv"))).func_urn);
      const r = await invocations.invokeFunction(ctx, {
        funcUrn: `${urn}:latest`,
        event: { a: 1 },
        tailLog: true,
      });
      assert.deepEqual(JSON.parse(String(r.result)), { a: 1 });
      const q = await invocations.invokeFunctionAsync(ctx, { funcUrn: urn, event: { b: 2 } });
      assert.ok(q.request_id);
    });

    it("a disabled function fails at once with FunctionDisabledError; a real 429 is still retried", async () => {
      const urn = unqualifiedUrn((await fns.createFunction(ctx, inlineFunction("cl-off"))).func_urn);
      await fns.updateMaxInstances(ctx, { funcUrn: urn, maxInstanceNum: 0 });
      const count = async (): Promise<number> => {
        const s = (await control(emu, "GET", "stats")) as {
          requests?: Record<string, Record<string, number>>;
        };
        return s.requests?.functiongraph?.InvokeFunction ?? 0;
      };
      const before = await count();
      await assert.rejects(invocations.invokeFunction(ctx, { funcUrn: urn, event: {} }), (err: unknown) => {
        assert.ok(err instanceof invocations.FunctionDisabledError, String(err));
        assert.equal(err.code, "FSS.0429");
        assert.equal(err.retryable, false);
        assert.match(err.message, /disabled.*maxInstanceNum/);
        return true;
      });
      assert.equal((await count()) - before, 1, "one attempt");
      await fns.updateMaxInstances(ctx, { funcUrn: urn, maxInstanceNum: 5 });
      await control(emu, "POST", "faults", {
        service: "functiongraph",
        operation: "InvokeFunction",
        status: 429,
        code: "FSS.0429",
        message: "Too many requests",
        times: 1,
      });
      const afterThrottle = await count();
      const r = await invocations.invokeFunction(ctx, { funcUrn: urn, event: { ok: 1 } });
      assert.deepEqual(JSON.parse(String(r.result)), { ok: 1 });
      assert.equal((await count()) - afterThrottle, 2, "the throttled attempt was repeated");
      await control(emu, "DELETE", "faults");
    });
  });

  describe("faults", () => {
    it("retries a 503 on a GET and then succeeds", async () => {
      const urn = unqualifiedUrn((await fns.createFunction(ctx, inlineFunction("cl-fault"))).func_urn);
      await control(emu, "POST", "faults", {
        service: "functiongraph",
        operation: "ShowFunctionConfig",
        status: 503,
        code: "FSS.0503",
        times: 1,
      });
      assert.equal((await fns.getFunctionConfig(ctx, { funcUrn: urn })).func_name, "cl-fault");
      await control(emu, "DELETE", "faults");
    });
  });
});
