import { strict as assert } from "node:assert";
import { after, before, describe, it } from "mocha";
import type { ClientContext } from "../../../sdk/core/client";
import * as fns from "../../../sdk/functiongraph/clients/functions";
import type { PluginClient, Props } from "../../engine/harness";
import { validFunction } from "./cases";
import { type FunctionGraphPlugin, startFunctionGraphPlugin } from "./engine-fixture";

// Defects 1, 2, 3, 5 and 6 of issue 10 through the real dynamic-provider plugin (run `npm run build`
// first: the serialized stubs load this repository's dist/).

const kinds = ["Function", "Version", "Trigger", "Invocation"] as const;

describe("FunctionGraph defects of issue 10 through the engine-path harness", function () {
  this.timeout(120_000);
  let ctx: ClientContext;
  let plugin: PluginClient;
  let stubs: Readonly<Record<string, string>>;

  let fixture: FunctionGraphPlugin | undefined;

  before(async () => {
    fixture = await startFunctionGraphPlugin(kinds);
    ({ ctx, plugin, stubs } = fixture);
  });
  after(async () => {
    await fixture?.close();
  });

  /** Inputs as the engine sends them: the checked inputs plus the stub. */
  const check = (kind: string, news: Props, olds: Props = {}): Promise<Props> =>
    (fixture as FunctionGraphPlugin).check(kind, news, olds);

  /** One `pulumi up` of an existing resource: refresh-free diff, then update when there are changes. */
  async function up(id: string, olds: Props, news: Props, oldInputs: Props): Promise<Props> {
    const d = await plugin.diff(id, olds, news, oldInputs);
    if (d.changes !== "DIFF_SOME") return olds;
    assert.deepEqual(d.replaces, [], "an in-place update");
    return (await plugin.update(id, olds, news, oldInputs)).properties;
  }

  it("1: concurrentNum alone leaves the function enabled; an Invocation runs at once", async () => {
    const inputs = await check("Function", { ...validFunction("ed1"), concurrentNum: 4 });
    const created = await plugin.create(inputs);
    assert.notEqual(created.properties.maxInstanceNum, 0);
    const live = await fns.getFunctionConfig(ctx, { funcUrn: created.id });
    assert.notEqual(live.strategy_config?.concurrency, 0);
    const invoked = await plugin.create(await check("Invocation", { funcUrn: created.id, event: { a: 1 } }));
    assert.deepEqual(invoked.properties.resultJson, { a: 1 });
    const read = await plugin.read(created.id, created.properties);
    assert.equal((await plugin.diff(created.id, read.properties, inputs)).changes, "DIFF_NONE");
  });

  it("2: a custom-image function moves to a new image", async () => {
    const base: Props = {
      ...validFunction("ed2"),
      runtime: "Custom Image",
      customImage: { image: "swr.eu-de.otc.t-systems.com/org/app:1" },
    };
    delete base.inlineCode;
    delete base.handler;
    const inputs = await check("Function", base);
    const created = await plugin.create(inputs);
    const news = await check(
      "Function",
      { ...base, customImage: { image: "swr.eu-de.otc.t-systems.com/org/app:2" } },
      inputs,
    );
    const outs = await up(created.id, created.properties, news, inputs);
    assert.deepEqual(outs.customImage, { image: "swr.eu-de.otc.t-systems.com/org/app:2" });
    const live = await fns.getFunctionConfig(ctx, { funcUrn: created.id });
    assert.equal(live.custom_image?.image, "swr.eu-de.otc.t-systems.com/org/app:2");
  });

  it("3: maxInstanceNum 50 stays 50 over three `up`s that change other settings (no flip)", async () => {
    const inputs = await check("Function", { ...validFunction("ed3"), maxInstanceNum: 50, concurrentNum: 2 });
    const created = await plugin.create(inputs);
    let outs = created.properties;
    let oldInputs = inputs;
    for (const timeout of [31, 32, 33]) {
      const news = await check(
        "Function",
        { ...validFunction("ed3"), maxInstanceNum: 50, concurrentNum: 2, timeout },
        oldInputs,
      );
      outs = await up(created.id, outs, news, oldInputs);
      oldInputs = news;
      assert.equal(outs.maxInstanceNum, 50);
      assert.equal(
        (await fns.getFunctionConfig(ctx, { funcUrn: created.id })).strategy_config?.concurrency,
        50,
      );
      const read = await plugin.read(created.id, outs);
      assert.equal((await plugin.diff(created.id, read.properties, news)).changes, "DIFF_NONE");
    }
    const conflict = await plugin.check(
      {},
      { ...validFunction("ed3"), concurrency: 20, maxInstanceNum: 50, __provider: stubs.Function },
    );
    assert.deepEqual(
      conflict.failures.map((f) => f.property),
      ["concurrency"],
    );
  });

  it("5: a trigger with write-only accessKey/token is not replaced on the next up", async () => {
    const f = await plugin.create(await check("Function", validFunction("ed5")));
    const inputs = await check("Trigger", {
      funcUrn: f.id,
      triggerTypeCode: "ROCKETMQ",
      eventData: { instanceId: "mq-1", topic: "t", accessKey: "ak", token: "tok" },
    });
    const created = await plugin.create(inputs);
    const read = await plugin.read(created.id, created.properties);
    const again = await check(
      "Trigger",
      {
        funcUrn: f.id,
        triggerTypeCode: "ROCKETMQ",
        eventData: { instanceId: "mq-1", topic: "t", accessKey: "ak", token: "tok" },
      },
      inputs,
    );
    assert.equal((await plugin.diff(created.id, read.properties, again, inputs)).changes, "DIFF_NONE");
    const snake = await plugin.check(
      {},
      {
        funcUrn: f.id,
        triggerTypeCode: "ROCKETMQ",
        eventData: { instance_id: "mq-1" },
        __provider: stubs.Trigger,
      },
    );
    assert.deepEqual(
      snake.failures.map((x) => x.property),
      ["eventData.instance_id"],
    );
  });

  it("6: a named Version is replaced delete-before-create, as the engine then does", async () => {
    const f = await plugin.create(await check("Function", validFunction("ed6")));
    const inputs = await check("Version", { funcUrn: f.id, version: "v1", description: "one" });
    const v1 = await plugin.create(inputs);
    const news = await check("Version", { funcUrn: f.id, version: "v1", description: "two" }, inputs);
    const d = await plugin.diff(v1.id, v1.properties, news, inputs);
    assert.deepEqual(d.replaces, ["description"]);
    assert.equal(d.deleteBeforeReplace, true);
    await plugin.delete(v1.id, v1.properties, inputs);
    const replaced = await plugin.create(news);
    assert.equal(replaced.id, v1.id);
    assert.equal(replaced.properties.description, "two");
  });
});
