import { strict as assert } from "node:assert";
import { directDriver, modes, type Driver, type Props } from "./drivers";
import { uniqueName, type OciFixture } from "./emulator-fixture";
import { useEmulatorDriver } from "./use-emulator-driver";

for (const mode of modes) {
  describe(`oci:Function against the emulator (${mode})`, function () {
    this.timeout(60_000);
    let fx: OciFixture;
    let driver: Driver;
    let applicationId: string;
    let app: { id: string; outs: Props };

    useEmulatorDriver(
      mode,
      "oci:Function",
      (f, d) => {
        fx = f;
        driver = d;
      },
      { lifecycleMs: 100, workRequestMs: 150 },
    );
    before(async () => {
      app = await directDriver("oci:Application").create({
        compartmentId: fx.emulator.oci.compartmentOcid,
        displayName: uniqueName("app"),
        subnetIds: [fx.emulator.oci.subnetOcid],
      });
      applicationId = app.id;
    });

    function inputs(extra: Props = {}): Props {
      return {
        applicationId,
        displayName: uniqueName("fn"),
        memoryInMBs: 256,
        image: "iad.ocir.io/ns/hello:1.0",
        config: { GREETING: "hi" },
        ...extra,
      };
    }

    it("creates with a resolved digest and invoke endpoint, reads back the same outputs, and shows no change", async () => {
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      assert.match(id, /^ocid1\.fnfunc\./);
      assert.match(String(outs.imageDigest), /^sha256:[0-9a-f]{64}$/);
      assert.equal(outs.invokeEndpoint, fx.emulator.url);
      assert.deepEqual((await driver.read(id, outs)).props, outs);
      assert.equal((await driver.diff(id, outs, ins)).changes, false);
      await driver.delete(id, outs);
    });

    it("updates the image without a digest in place, and the new digest causes no churn on the next preview", async () => {
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      const next = { ...ins, image: "iad.ocir.io/ns/hello:2.0", memoryInMBs: 512, timeoutInSeconds: 60 };
      const diff = await driver.diff(id, outs, next);
      assert.deepEqual([diff.changes, diff.replaces], [true, []]);
      const updated = await driver.update(id, outs, next);
      assert.equal(updated.image, "iad.ocir.io/ns/hello:2.0");
      assert.notEqual(updated.imageDigest, outs.imageDigest, "the service resolved a new digest");
      assert.equal(updated.memoryInMBs, 512);
      assert.equal(updated.invokeEndpoint, outs.invokeEndpoint, "update returns every output");
      assert.equal(
        (await driver.diff(id, updated, next)).changes,
        false,
        "no churn after the digest resolved",
      );
      const pinned = await driver.diff(id, updated, { ...next, imageDigest: `sha256:${"a".repeat(64)}` });
      assert.deepEqual(
        [pinned.changes, pinned.replaces],
        [true, []],
        "a pinned digest that differs is an in-place change",
      );
      await driver.delete(id, updated);
    });

    it("asks to replace when the name or application changes, deleting first when the name stays", async () => {
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      const renamed = await driver.diff(id, outs, { ...ins, displayName: uniqueName("fn2") });
      assert.deepEqual([renamed.replaces, renamed.deleteBeforeReplace], [["displayName"], false]);
      const pbf = await driver.diff(id, outs, {
        ...ins,
        image: undefined,
        sourceDetails: { sourceType: "PRE_BUILT_FUNCTIONS", pbfListingId: "ocid1.fnpbf.oc1..aaaa" },
      });
      assert.deepEqual([pbf.replaces, pbf.deleteBeforeReplace], [["sourceDetails"], true]);
      await driver.delete(id, outs);
      const replaced = await driver.create({ ...ins, displayName: uniqueName("fn2") });
      assert.notEqual(replaced.id, id);
      await driver.delete(replaced.id, replaced.outs);
    });

    it("shows drift on refresh (changed and deleted behind its back)", async () => {
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      await fx.drift("change", id, { memoryInMBs: 1024 });
      const drifted = await driver.read(id, outs);
      assert.equal(drifted.props.memoryInMBs, 1024);
      const diff = await driver.diff(id, drifted.props, ins);
      assert.deepEqual([diff.changes, diff.replaces], [true, []]);
      await fx.drift("delete", id);
      assert.equal((await driver.read(id, outs)).id, "");
      await driver.delete(id, outs);
    });

    it("adopts an existing function by id", async () => {
      const ins = inputs();
      const original = await driver.create(ins);
      const adopted = await driver.create({ ...ins, memoryInMBs: 1024, adoptId: original.id });
      assert.equal(adopted.id, original.id);
      assert.equal(adopted.outs.memoryInMBs, 1024);
      await driver.delete(adopted.id, adopted.outs);
    });

    it("reads an existing function by id alone, as the static get() does", async () => {
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      const got = await driver.read(id, {});
      assert.equal(got.id, id);
      assert.equal(got.props.invokeEndpoint, outs.invokeEndpoint);
      assert.equal(got.props.imageDigest, outs.imageDigest);
      await driver.delete(id, outs);
    });

    it("records the function when its wait times out, and when it ends FAILED", async () => {
      await fx.control("PUT", "timing", { lifecycleMs: 5000 });
      const timedOut = await driver.failure(driver.create(inputs({ timeouts: { create: "300ms" } })));
      assert.match(
        timedOut.message,
        /Timed out after 300 ms waiting for function ocid1\.fnfunc\.\S+ to become ACTIVE/,
      );
      assert.match(String(timedOut.initFailed?.id), /^ocid1\.fnfunc\./);
      if (mode === "engine") assert.equal(typeof timedOut.initFailed?.properties.__provider, "string");
      const ins = inputs();
      const pending = driver.failure(driver.create(ins));
      const id = await waitForFunction(fx, applicationId, String(ins.displayName));
      await fx.drift("change", id, { lifecycleState: "FAILED", lifecycleDetails: "image pull failed" });
      const failed = await pending;
      assert.match(failed.message, /FAILED: image pull failed/);
      assert.equal(failed.initFailed?.id, id);
    });

    it("retries 429s and 5xx in every phase and succeeds", async () => {
      await fx.fault({ status: 429, code: "TooManyRequests", everyNth: 3 });
      await fx.fault({ status: 500, code: "InternalServerError", everyNth: 4 });
      const before = await fx.stats();
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      assert.equal((await driver.read(id, outs)).id, id);
      const updated = await driver.update(id, outs, { ...ins, memoryInMBs: 128 });
      assert.equal(updated.memoryInMBs, 128);
      await driver.delete(id, updated);
      const after = await fx.stats();
      assert.ok((after.errors["429"] ?? 0) > (before.errors["429"] ?? 0));
      assert.ok((after.errors["500"] ?? 0) > (before.errors["500"] ?? 0));
      await fx.clearFaults();
      assert.equal((await driver.read(id, outs)).id, "");
    });
  });
}

async function waitForFunction(fx: OciFixture, applicationId: string, displayName: string): Promise<string> {
  const { ociContexts } = await import("../../../provider/oci/common");
  const { listFunctions } = await import("../../../sdk/oci/clients/functions-management");
  const { collect } = await import("../../../sdk/oci/clients/common");
  const ctxs = await ociContexts(undefined);
  for (let i = 0; i < 200; i++) {
    const found = await collect(listFunctions(ctxs.functions, { applicationId, displayName }));
    if (found[0] !== undefined) return found[0].id;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`function ${displayName} never appeared (${fx.emulator.url})`);
}
