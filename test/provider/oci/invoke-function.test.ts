import { strict as assert } from "node:assert";
import { directDriver, modes, type Driver, type Props } from "./drivers";
import { uniqueName, type OciFixture } from "./emulator-fixture";
import { useEmulatorDriver } from "./use-emulator-driver";

for (const mode of modes) {
  describe(`oci:InvokeFunction against the emulator (${mode})`, function () {
    this.timeout(60_000);
    let fx: OciFixture;
    let driver: Driver;
    let functionId: string;
    let fn: { id: string; outs: Props };

    useEmulatorDriver(mode, "oci:InvokeFunction", (f, d) => {
      fx = f;
      driver = d;
    });
    before(async () => {
      const app = await directDriver("oci:Application").create({
        compartmentId: fx.emulator.oci.compartmentOcid,
        displayName: uniqueName("app"),
        subnetIds: [fx.emulator.oci.subnetOcid],
      });
      fn = await directDriver("oci:Function").create({
        applicationId: app.id,
        displayName: "echo",
        memoryInMBs: 128,
        image: "iad.ocir.io/ns/echo:1",
      });
      functionId = fn.id;
    });

    it("invokes on create and records the answer; reads back unchanged; no change for the same inputs", async () => {
      const ins = { functionId, invokeFunctionBody: '{"name":"world"}', fnIntent: "httprequest" };
      const before = (await fx.stats()).requests.oci?.InvokeFunction ?? 0;
      const { id, outs } = await driver.create(ins);
      assert.equal(outs.content, '{"name":"world"}', "the emulator echoes the body");
      assert.equal(outs.statusCode, 200);
      assert.equal((await fx.stats()).requests.oci?.InvokeFunction, before + 1);
      const read = await driver.read(id, outs);
      assert.deepEqual(read.props, outs);
      assert.equal((await driver.diff(id, outs, ins)).changes, false);
      await driver.delete(id, outs);
      assert.equal((await fx.stats()).requests.oci?.InvokeFunction, before + 1, "delete invokes nothing");
    });

    it("takes a base64 body and answers base64 content on request", async () => {
      const body = Buffer.from([0, 1, 2, 250, 251]).toString("base64");
      const { outs } = await driver.create({
        functionId,
        invokeFunctionBodyBase64Encoded: body,
        base64EncodeContent: true,
      });
      assert.equal(outs.content, body);
    });

    it("invokes again when its inputs change (a replacement); a changed timeout alone changes nothing", async () => {
      const ins = { functionId, invokeFunctionBody: "one" };
      const { id, outs } = await driver.create(ins);
      const diff = await driver.diff(id, outs, { ...ins, invokeFunctionBody: "two" });
      assert.deepEqual([diff.changes, diff.replaces], [true, ["invokeFunctionBody"]]);
      assert.equal((await driver.diff(id, outs, { ...ins, timeouts: { create: "1m" } })).changes, false);
      const again = await driver.create({ ...ins, invokeFunctionBody: "two" });
      assert.equal(again.outs.content, "two");
      assert.notEqual(again.id, id);
    });

    it("reads as gone once its function is deleted behind its back", async () => {
      const app = await directDriver("oci:Application").create({
        compartmentId: fx.emulator.oci.compartmentOcid,
        displayName: uniqueName("app"),
        subnetIds: [fx.emulator.oci.subnetOcid],
      });
      const other = await directDriver("oci:Function").create({
        applicationId: app.id,
        displayName: "gone",
        memoryInMBs: 128,
        image: "iad.ocir.io/ns/echo:1",
      });
      const { id, outs } = await driver.create({ functionId: other.id, invokeFunctionBody: "x" });
      await fx.drift("change", other.id, { memoryInMBs: 512 });
      assert.equal((await driver.read(id, outs)).id, id, "a changed function does not undo an invocation");
      await fx.drift("delete", other.id);
      assert.equal((await driver.read(id, outs)).id, "");
      await driver.delete(id, outs);
    });

    it("retries 429s always and 5xx when the function is declared idempotent", async () => {
      await fx.fault({ operation: "InvokeFunction", status: 429, code: "TooManyRequests", times: 2 });
      await fx.fault({ operation: "GetFunction", status: 503, code: "ServiceUnavailable", times: 1 });
      const throttled = await driver.create({ functionId, invokeFunctionBody: "busy" });
      assert.equal(throttled.outs.content, "busy");
      await fx.fault({ operation: "GetFunction", status: 429, code: "TooManyRequests", times: 1 });
      await fx.fault({ operation: "GetFunction", status: 500, code: "InternalServerError", times: 1 });
      assert.equal((await driver.read(throttled.id, throttled.outs)).id, throttled.id, "refresh retries too");
      await fx.fault({ operation: "InvokeFunction", status: 502, code: "BadGateway", times: 1 });
      const failed = await driver.failure(driver.create({ functionId, invokeFunctionBody: "once" }));
      assert.match(failed.message, /InvokeFunction .* 502/);
      assert.equal(failed.initFailed, undefined, "a failed invocation records nothing");
      await fx.fault({ operation: "InvokeFunction", status: 502, code: "BadGateway", times: 1 });
      const retried = await driver.create({
        functionId,
        invokeFunctionBody: "twice is fine",
        idempotent: true,
      });
      assert.equal(retried.outs.content, "twice is fine");
    });

    it("gives up at its deadline", async () => {
      await fx.fault({ operation: "InvokeFunction", latencyMs: 3000, times: 1 });
      const failure = await driver.failure(
        driver.create({ functionId, invokeFunctionBody: "slow", timeouts: { create: "300ms" } }),
      );
      assert.match(failure.message, /abort|timed out|timeout/i);
    });
  });
}
